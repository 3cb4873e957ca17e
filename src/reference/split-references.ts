/**
 * The CRI view of an image's names: which are repo digests and which are repo tags.
 */
import { formatReference } from './format.js';
import { analyzeAnyReference } from './normalize.js';

/** An image's references as CRI reports them, each normalized. */
export interface ImageReferences {
  /** Tagged references without a digest, such as `docker.io/library/busybox:1.36`. */
  readonly repoTags: string[];
  /** Digested references, such as `docker.io/library/busybox@sha256:…`. */
  readonly repoDigests: string[];
}

/**
 * Sorts `refs` into repo digests (any reference with a digest) and repo tags (tag only), in input
 * order and normalized; bare IDs, digests, names without tag and unparseable strings go to neither.
 */
export function splitReferences(refs: Iterable<string>): ImageReferences {
  const repoTags: string[] = [];
  const repoDigests: string[] = [];
  for (const s of refs) {
    const outcome = analyzeAnyReference(s);
    if (!outcome.ok || typeof outcome.value === 'string') continue;
    const ref = outcome.value;
    if (ref.digest !== undefined) repoDigests.push(formatReference(ref));
    else if (ref.tag !== undefined) repoTags.push(formatReference(ref));
  }
  return { repoTags, repoDigests };
}
