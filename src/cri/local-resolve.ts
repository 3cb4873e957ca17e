/** Finding a CRI image by reference or (truncated) ID, in containerd's LocalResolve order. */
import { tryParseDigest } from '../digest/index.js';
import { isKind, notFound } from '../errdefs/index.js';
import { formatReference, tryParseDockerRef } from '../reference/index.js';
import type { CriImage, ReferenceCache } from './reference-cache.js';

/**
 * The image `refOrId` names: a full digest is an ID; otherwise a reference, normalized
 * (`busybox` → `docker.io/library/busybox:latest`, `name:tag@digest` → `name@digest`); otherwise a
 * unique ID prefix. NotFound when nothing matches.
 */
export function localResolve(cache: ReferenceCache, refOrId: string): CriImage {
  if (refOrId === '') throw notFound('no image named ""');
  if (tryParseDigest(refOrId) !== undefined) return cache.get(refOrId);
  const ref = tryParseDockerRef(refOrId);
  const id = ref === undefined ? undefined : cache.resolveReference(formatReference(ref));
  if (id !== undefined) return cache.get(id);
  try {
    return cache.get(refOrId);
  } catch (err) {
    if (isKind(err, 'InvalidArgument')) throw notFound(`image ${JSON.stringify(refOrId)} not found`);
    throw err;
  }
}
