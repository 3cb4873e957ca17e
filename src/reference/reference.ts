/**
 * The parsed form of a Docker image reference, `[domain/]path[:tag][@digest]`, and the questions
 * callers ask of it.
 */
import type { Digest } from '../digest/index.js';

/** A syntactically valid image reference; `domain` is absent when the name has no registry part. */
export interface Reference {
  /** Registry host with optional port, such as `docker.io`, `localhost:5000` or `[::1]:5000`. */
  readonly domain?: string;
  /** Repository path below the domain, such as `library/busybox`. */
  readonly path: string;
  /** Tag such as `latest`. */
  readonly tag?: string;
  /** Manifest digest such as `sha256:<64 hex>`. */
  readonly digest?: Digest;
}

/** A reference that carries a tag. */
export type TaggedReference = Reference & { readonly tag: string };

/** A reference that carries a digest (upstream calls it canonical). */
export type DigestedReference = Reference & { readonly digest: Digest };

/** Builds a reference, leaving out the parts that are undefined. */
export function makeReference(
  domain: string | undefined,
  path: string,
  tag?: string,
  digest?: Digest,
): Reference {
  return {
    ...(domain === undefined ? {} : { domain }),
    path,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** The repository name: `domain/path`, or just `path` when there is no domain. */
export const name = (ref: Reference): string => (ref.domain === undefined ? ref.path : `${ref.domain}/${ref.path}`);

/** Reports whether `ref` has a tag. */
export const isTagged = (ref: Reference): ref is TaggedReference => ref.tag !== undefined;

/** Reports whether `ref` has a digest. */
export const isDigested = (ref: Reference): ref is DigestedReference => ref.digest !== undefined;

/** Reports whether `ref` is canonical (named and digested); every {@link Reference} is named. */
export const isCanonical = isDigested;

/** Reports whether `ref` is a bare name, with neither tag nor digest. */
export const isNameOnly = (ref: Reference): boolean => ref.tag === undefined && ref.digest === undefined;
