/**
 * Docker-style normalization: familiar names such as `busybox` become fully qualified
 * references such as `docker.io/library/busybox`.
 */
import { type Digest, parseDigest, tryParseDigest } from '../digest/index.js';
import {
  DEFAULT_DOMAIN,
  DEFAULT_TAG,
  LEGACY_DEFAULT_DOMAIN,
  OFFICIAL_REPO_PREFIX,
  looksLikeRegistryHost,
} from './docker-hub.js';
import { hasUpperCase, isImageId } from './grammar.js';
import { invalidReference, quote } from './invalid.js';
import { type Outcome, failure, success } from './outcome.js';
import { analyzeReference } from './parse.js';
import { type Reference, makeReference } from './reference.js';
import { formatReference } from './format.js';

/**
 * Parses `s` and fills in Docker Hub defaults (`busybox` → `docker.io/library/busybox`), keeping
 * tag and digest as given and adding no tag. Throws InvalidArgument.
 */
export function parseNormalizedNamed(s: string): Reference {
  const outcome = analyzeNormalized(s);
  if (!outcome.ok) throw invalidReference(s, outcome.reason);
  return outcome.value;
}

/** Parses `s` as {@link parseNormalizedNamed} does, returning undefined instead of throwing. */
export function tryParseNormalizedNamed(s: string): Reference | undefined {
  const outcome = analyzeNormalized(s);
  return outcome.ok ? outcome.value : undefined;
}

/**
 * Normalizes `s` the way a pull does: `name:tag@digest` keeps only the digest, and a bare name
 * gets the `latest` tag. Throws InvalidArgument.
 */
export function parseDockerRef(s: string): Reference {
  return tryParseDockerRef(s) ?? parseNormalizedNamed(s);
}

/** Parses `s` as {@link parseDockerRef} does, returning undefined instead of throwing. */
export function tryParseDockerRef(s: string): Reference | undefined {
  const ref = tryParseNormalizedNamed(s);
  if (ref === undefined) return undefined;
  if (ref.digest !== undefined) return makeReference(ref.domain, ref.path, undefined, ref.digest);
  return ref.tag === undefined ? makeReference(ref.domain, ref.path, DEFAULT_TAG) : ref;
}

/** Parses `s`, which must already be fully qualified (it normalizes to itself). Throws InvalidArgument. */
export function parseNamed(s: string): Reference {
  const ref = parseNormalizedNamed(s);
  const canonical = formatReference(ref);
  if (canonical !== s) throw invalidReference(s, `not a fully qualified reference; use ${quote(canonical)}`);
  return ref;
}

/**
 * Parses `s` as an image ID (64 hex → `sha256:` digest), a digest, or a normalized name, in that
 * order; a digest comes back as a string. Throws InvalidArgument.
 */
export function parseAnyReference(s: string): Reference | Digest {
  const outcome = analyzeAnyReference(s);
  if (!outcome.ok) throw invalidReference(s, outcome.reason);
  return outcome.value;
}

/** Parses `s` as {@link parseAnyReference} does, without throwing. */
export function analyzeAnyReference(s: string): Outcome<Reference | Digest> {
  if (isImageId(s)) return success(parseDigest(`sha256:${s}`));
  const digest = tryParseDigest(s);
  if (digest !== undefined) return success(digest);
  return analyzeNormalized(s);
}

/** Normalizes `s`, or says why it cannot be. */
function analyzeNormalized(s: string): Outcome<Reference> {
  if (s === '') return failure('reference is empty');
  if (isImageId(s)) {
    return failure('64 hexadecimal characters look like an image ID, not a repository name; give a name, or "sha256:<id>" where an ID is accepted');
  }
  if (!s.includes('/')) {
    // Without "/" the input is checked as written, so errors speak of what the user typed.
    const strict = analyzeReference(s);
    if (!strict.ok) return strict;
  }
  const { domain, remainder } = splitDockerDomain(s);
  const remote = remainder.slice(0, endOfRemoteName(remainder));
  if (hasUpperCase(remote)) return failure('repository name must be lowercase');
  const parsed = analyzeReference(`${domain}/${remainder}`);
  if (!parsed.ok) return parsed;
  // The grammar reads the domain as a path component when it is not a valid host (`foo_bar.com/x`).
  if (parsed.value.domain !== domain) return failure(`invalid registry host ${quote(domain)}`);
  return parsed;
}

/** Index of the first ":" or "@" in `s`, or its length: where the repository path ends. */
function endOfRemoteName(s: string): number {
  const match = /[:@]/.exec(s);
  return match === null ? s.length : match.index;
}

/** Splits `s` into registry domain and the rest, applying Docker Hub's defaults. */
function splitDockerDomain(s: string): { domain: string; remainder: string } {
  const slash = s.indexOf('/');
  let domain = DEFAULT_DOMAIN;
  let remainder = s;
  if (slash >= 0) {
    const first = s.slice(0, slash);
    if (first === LEGACY_DEFAULT_DOMAIN) {
      remainder = s.slice(slash + 1);
    } else if (looksLikeRegistryHost(first)) {
      domain = first;
      remainder = s.slice(slash + 1);
    }
  }
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

