/**
 * Content digests in the OCI `algorithm:encoded` form. Parsing is strict so that a digest can be
 * used to build a file path without further checks.
 */
import { invalidArgument } from '../errdefs/index.js';

/** A validated digest string such as `sha256:<64 lowercase hex>`. */
export type Digest = string & { readonly __digest: unique symbol };

/** Hex length of the encoded part for each algorithm imaged understands. */
const ENCODED_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

const ALGORITHM = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*$/;
const LOWER_HEX = /^[a-f0-9]+$/;

/** Returns the reason `s` is not a valid digest, or undefined when it is one. */
function digestProblem(s: string): string | undefined {
  const colon = s.indexOf(':');
  if (colon <= 0 || colon === s.length - 1) return 'expected "algorithm:hex"';
  const algorithm = s.slice(0, colon);
  const encoded = s.slice(colon + 1);
  if (!ALGORITHM.test(algorithm)) return `malformed algorithm "${algorithm}"`;
  const length = ENCODED_LENGTH[algorithm];
  if (length === undefined) return `unsupported digest algorithm "${algorithm}"`;
  if (!LOWER_HEX.test(encoded)) return 'encoded part must be lowercase hex';
  if (encoded.length !== length) return `${algorithm} needs ${length} hex characters, got ${encoded.length}`;
  return undefined;
}

/** Parses `s` as a digest; throws InvalidArgument naming the input and the reason. */
export function parseDigest(s: string): Digest {
  const problem = digestProblem(s);
  if (problem !== undefined) throw invalidArgument(`invalid digest ${JSON.stringify(s)}: ${problem}`);
  return s as Digest;
}

/** Parses `s` as a digest, returning undefined instead of throwing. */
export function tryParseDigest(s: string): Digest | undefined {
  return digestProblem(s) === undefined ? (s as Digest) : undefined;
}

/** The algorithm part of a digest (`sha256`). */
export const digestAlgorithm = (d: Digest): string => d.slice(0, d.indexOf(':'));

/** The encoded (hex) part of a digest. */
export const digestEncoded = (d: Digest): string => d.slice(d.indexOf(':') + 1);
