/**
 * The mark phase of garbage collection, as a pure function over a snapshot of one namespace:
 * roots are unexpired images, unexpired leases and content labelled gc.root; references follow
 * gc.ref.content labels (content → content) and image targets. Everything unmarked is garbage.
 */
import type { Info } from '../content/index.js';
import type { Image } from '../images/index.js';
import type { Lease } from '../metadata/index.js';
import { contentReferences, isExpired, LABEL_GC_FLAT, LABEL_GC_ROOT } from './labels.js';

/** What one namespace holds. */
export interface NamespaceSnapshot {
  /** Its images. */
  readonly images: readonly Image[];
  /** Its leases. */
  readonly leases: readonly Lease[];
  /** The blobs it sees. */
  readonly content: readonly Info[];
}

/** What the sweep removes from one namespace. */
export interface Garbage {
  /** Digests no longer reachable. */
  readonly content: string[];
  /** Names of expired images. */
  readonly images: string[];
  /** IDs of expired leases. */
  readonly leases: string[];
}

/** Marks what `snapshot` keeps at time `nowMs` and returns the rest. */
export function findGarbage(snapshot: NamespaceSnapshot, nowMs: number): Garbage {
  const byDigest = new Map(snapshot.content.map((info) => [info.digest, info]));
  const live = new Set<string>();
  const pending: string[] = [];
  const reach = (digest: string) => {
    if (!live.has(digest) && byDigest.has(digest)) {
      live.add(digest);
      pending.push(digest);
    }
  };
  const images = snapshot.images.filter((image) => isExpired(image.labels, nowMs));
  const leases = snapshot.leases.filter((lease) => isExpired(lease.labels, nowMs));
  const flat: string[] = [];
  for (const image of snapshot.images) if (!isExpired(image.labels, nowMs)) reach(image.target.digest);
  for (const info of snapshot.content) if (info.labels[LABEL_GC_ROOT]) reach(info.digest);
  for (const lease of snapshot.leases) {
    if (isExpired(lease.labels, nowMs)) continue;
    for (const resource of lease.resources) {
      if (resource.type !== 'content') continue;
      if (lease.labels[LABEL_GC_FLAT]) flat.push(resource.id);
      else reach(resource.id);
    }
  }
  for (let digest = pending.pop(); digest !== undefined; digest = pending.pop()) {
    for (const ref of contentReferences(byDigest.get(digest)?.labels ?? {})) reach(ref);
  }
  for (const digest of flat) if (byDigest.has(digest)) live.add(digest);
  return {
    content: snapshot.content.filter((info) => !live.has(info.digest)).map((info) => info.digest),
    images: images.map((image) => image.name),
    leases: leases.map((lease) => lease.id),
  };
}
