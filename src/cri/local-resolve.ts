/** Finding a CRI image by reference or (truncated) ID, in containerd's LocalResolve order. */
import { tryParseDigest } from '../digest/index.js';
import { isKind, notFound } from '../errdefs/index.js';
import { formatReference, tryParseDockerRef } from '../reference/index.js';
import type { CriImage, ReferenceCache } from './reference-cache.js';

/** Inputs remembered by {@link normalizedName}; past this many it starts over. */
const MEMO_LIMIT = 4096;
const memo = new Map<string, string | null>();

/**
 * `s` as a normalized reference, or undefined when it is not one. Remembered: kubelet asks about
 * the same few names over and over, and parsing is a good part of a status call's own cost.
 */
function normalizedName(s: string): string | undefined {
  let normalized = memo.get(s);
  if (normalized === undefined) {
    const ref = tryParseDockerRef(s);
    normalized = ref === undefined ? null : formatReference(ref);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(s, normalized);
  }
  return normalized ?? undefined;
}

/**
 * The image `refOrId` names: a full digest is an ID; otherwise a reference, normalized
 * (`busybox` → `docker.io/library/busybox:latest`, `name:tag@digest` → `name@digest`); otherwise a
 * unique ID prefix. NotFound when nothing matches.
 */
export function localResolve(cache: ReferenceCache, refOrId: string): CriImage {
  if (refOrId === '') throw notFound('no image named ""');
  if (tryParseDigest(refOrId) !== undefined) return cache.get(refOrId);
  const normalized = normalizedName(refOrId);
  const id = normalized === undefined ? undefined : cache.resolveReference(normalized);
  if (id !== undefined) return cache.get(id);
  try {
    return cache.get(refOrId);
  } catch (err) {
    if (isKind(err, 'InvalidArgument')) throw notFound(`image ${JSON.stringify(refOrId)} not found`);
    throw err;
  }
}
