/**
 * Turning references back into strings, and building tagged or digested references from a name.
 */
import { invalidArgument } from '../errdefs/index.js';
import { parseDigest } from '../digest/index.js';
import { MAX_TAG_LENGTH, isValidTag } from './grammar.js';
import { quote } from './invalid.js';
import { type DigestedReference, type Reference, type TaggedReference, name } from './reference.js';

/** Formats `ref` as `name[:tag][@digest]`; parsing the result gives `ref` back. */
export function formatReference(ref: Reference): string {
  let s = name(ref);
  if (ref.tag !== undefined) s += `:${ref.tag}`;
  if (ref.digest !== undefined) s += `@${ref.digest}`;
  return s;
}

/** The reference `name:tag` built from the name of `ref` (its tag and digest are dropped); throws InvalidArgument for a bad tag. */
export function tagged(ref: Reference, tag: string): TaggedReference {
  if (!isValidTag(tag)) {
    throw invalidArgument(
      `invalid tag ${quote(tag)} for ${quote(name(ref))}: use up to ${MAX_TAG_LENGTH} letters, digits, "_", "." and "-", not starting with "." or "-"`,
    );
  }
  return { ...trimReference(ref), tag };
}

/** The reference `name@digest` built from the name of `ref` (its tag and digest are dropped); throws InvalidArgument for a bad digest. */
export function digested(ref: Reference, digest: string): DigestedReference {
  return { ...trimReference(ref), digest: parseDigest(digest) };
}

/** The name of `ref` without tag or digest. */
export const trimReference = (ref: Reference): Reference =>
  ref.domain === undefined ? { path: ref.path } : { domain: ref.domain, path: ref.path };
