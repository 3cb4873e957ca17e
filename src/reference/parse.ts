/**
 * Strict parsing of `[domain/]path[:tag][@digest]` with no Docker Hub defaults applied.
 */
import { type Digest, parseDigest, tryParseDigest } from '../digest/index.js';
import {
  MAX_NAME_LENGTH,
  MAX_TAG_LENGTH,
  asciiLowerCase,
  hasUpperCase,
  isValidDomain,
  isValidPathComponent,
  isValidTag,
} from './grammar.js';
import { invalidReference, quote } from './invalid.js';
import { type Outcome, failure, success } from './outcome.js';
import { type Reference, makeReference } from './reference.js';

/** The name part of a reference, split into its optional domain and its path. */
interface NameParts {
  readonly domain?: string;
  readonly path: string;
}

/**
 * Parses `s` against the reference grammar. The first path component is taken as the domain when
 * more components follow and it is a valid host, as upstream does. Throws InvalidArgument.
 */
export function parseReference(s: string): Reference {
  const outcome = analyzeReference(s);
  if (!outcome.ok) throw invalidReference(s, outcome.reason);
  return outcome.value;
}

/** Parses `s` as {@link parseReference} does, returning undefined instead of throwing. */
export function tryParseReference(s: string): Reference | undefined {
  const outcome = analyzeReference(s);
  return outcome.ok ? outcome.value : undefined;
}

/** Parses `s` strictly, reporting the first problem found in the name, then the tag, then the digest. */
export function analyzeReference(s: string): Outcome<Reference> {
  if (s === '') return failure('reference is empty');
  const at = s.indexOf('@');
  const beforeDigest = at < 0 ? s : s.slice(0, at);
  // A tag never contains "/", ":" or "]", and a name has ":" only in a domain that "/" follows.
  const colon = beforeDigest.lastIndexOf(':');
  const hasTag = colon > beforeDigest.lastIndexOf('/') && colon > beforeDigest.lastIndexOf(']');
  const nameText = hasTag ? beforeDigest.slice(0, colon) : beforeDigest;

  const parts = analyzeName(nameText);
  if (!parts.ok) return parts;
  const tag = hasTag ? beforeDigest.slice(colon + 1) : undefined;
  if (tag !== undefined && !isValidTag(tag)) return failure(tagProblem(tag));
  let digest: Digest | undefined;
  if (at >= 0) {
    const digestText = s.slice(at + 1);
    digest = tryParseDigest(digestText);
    if (digest === undefined) return failure(digestProblem(digestText));
  }
  return success(makeReference(parts.value.domain, parts.value.path, tag, digest));
}

/** Checks a repository name and splits off its domain. */
function analyzeName(name: string): Outcome<NameParts> {
  if (name === '') return failure('repository name is missing');
  const parts = splitName(name);
  if (parts !== undefined) {
    if (name.length > MAX_NAME_LENGTH) {
      return failure(`repository name must not be more than ${MAX_NAME_LENGTH} characters (it has ${name.length})`);
    }
    return success(parts);
  }
  if (hasUpperCase(name) && splitName(asciiLowerCase(name)) !== undefined) {
    return failure('repository name must be lowercase');
  }
  return failure(nameProblem(name));
}

/** Splits a valid name into domain and path, or returns undefined when the name is not valid. */
function splitName(name: string): NameParts | undefined {
  const components = name.split('/');
  const first = components[0] ?? '';
  const rest = components.slice(1);
  if (rest.length > 0 && isValidDomain(first) && rest.every(isValidPathComponent)) {
    return { domain: first, path: name.slice(first.length + 1) };
  }
  return components.every(isValidPathComponent) ? { path: name } : undefined;
}

/** Says what is wrong with a name that {@link splitName} rejected. */
function nameProblem(name: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(name);
  if (scheme !== null) return `a reference is not a URL; leave out ${quote(scheme[0])}`;
  const components = name.split('/');
  if (components.includes('')) {
    return 'repository name has an empty path component (look for a leading, trailing or doubled "/")';
  }
  const first = components[0] ?? '';
  const rest = components.slice(1);
  if (rest.length === 0 && isValidDomain(first)) {
    return `${quote(first)} is a registry host with no repository after it; add "/" and a repository path`;
  }
  if (!isValidDomain(first) && !isValidPathComponent(first)) {
    return rest.length > 0 && /[.:[\]]/.test(first)
      ? `invalid registry host ${quote(first)}: use a DNS name or IPv4 address, or an IPv6 address in [], with an optional ":port"`
      : pathComponentProblem(first);
  }
  return pathComponentProblem(rest.find((c) => !isValidPathComponent(c)) ?? first);
}

/** Says what is wrong with one path component. */
const pathComponentProblem = (component: string): string =>
  `invalid repository path component ${quote(component)}: use lowercase letters and digits, ` +
  'separated by ".", "_", "__" or dashes';

/** Says what is wrong with a tag. */
function tagProblem(tag: string): string {
  if (tag === '') return 'the tag after ":" is empty';
  if (tag.length > MAX_TAG_LENGTH) return `tag ${quote(tag)} is longer than ${MAX_TAG_LENGTH} characters`;
  return `invalid tag ${quote(tag)}: use letters, digits, "_", "." and "-", not starting with "." or "-"`;
}

/** Says what is wrong with a digest, in the digest parser's words. */
function digestProblem(text: string): string {
  if (text === '') return 'the digest after "@" is empty';
  try {
    parseDigest(text);
  } catch (err) {
    if (err instanceof Error) return err.message;
  }
  return `invalid digest ${quote(text)}`;
}
