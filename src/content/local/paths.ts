/** Where the local content store keeps blobs and ingests under its root. */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { digestAlgorithm, digestEncoded, parseDigest } from '../../digest/index.js';

/** The directory layout of one content store root (`ROOT/content`). */
export interface ContentPaths {
  /** The store root. */
  readonly root: string;
  /** `root/blobs`. */
  readonly blobs: string;
  /** `root/ingest`. */
  readonly ingest: string;
}

/** The layout under `root`. */
export const contentPaths = (root: string): ContentPaths => ({ root, blobs: join(root, 'blobs'), ingest: join(root, 'ingest') });

/** The file of a committed blob; the digest is validated first, so the path cannot escape the store. */
export function blobPath(paths: ContentPaths, digest: string): string {
  const d = parseDigest(digest);
  return join(paths.blobs, digestAlgorithm(d), digestEncoded(d));
}

/** The directory of the ingest `ref` (named by the SHA-256 of the ref, so any ref is a safe name). */
export const ingestDir = (paths: ContentPaths, ref: string): string =>
  join(paths.ingest, createHash('sha256').update(ref).digest('hex'));
