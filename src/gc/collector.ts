/**
 * One garbage collection: under the exclusive GC lock, mark and sweep every namespace's metadata in
 * one transaction, then delete the blobs no namespace sees any more.
 */
import type { Info } from '../content/index.js';
import type { LocalContentStore } from '../content/local/index.js';
import type { EventPublisher } from '../events/index.js';
import type { Image } from '../images/index.js';
import type { Lease, MetadataDb, Table } from '../metadata/index.js';
import type { SharedExclusiveLock } from '../sync/index.js';
import { findGarbage, type Garbage, type NamespaceSnapshot } from './mark.js';

/** What one collection removed. */
export interface GcResult {
  /** Content records removed from namespaces. */
  readonly removedContent: number;
  /** Expired images removed. */
  readonly removedImages: number;
  /** Expired leases removed. */
  readonly removedLeases: number;
  /** Blob files deleted from disk. */
  readonly deletedBlobs: number;
  /** Bytes those files held. */
  readonly freedBytes: number;
  /** How long the collection took. */
  readonly durationMs: number;
}

/** What the collector works on. */
export interface CollectorParts {
  readonly db: MetadataDb;
  readonly images: Table<Image>;
  readonly leases: Table<Lease>;
  readonly content: Table<Info>;
  readonly local: LocalContentStore;
  readonly lock: SharedExclusiveLock;
  readonly events: EventPublisher;
}

type Snapshot = { images: Image[]; leases: Lease[]; content: Info[] };

/** Creates the function that runs one collection. */
export function createCollector(parts: CollectorParts): () => Promise<GcResult> {
  const { db, local, lock, events } = parts;
  return () =>
    lock.withExclusive(async () => {
      const started = performance.now();
      const garbage = await db.update((tx) => {
        const snapshots = new Map<string, Snapshot>();
        const of = (namespace: string): Snapshot => {
          let s = snapshots.get(namespace);
          if (s === undefined) snapshots.set(namespace, (s = { images: [], leases: [], content: [] }));
          return s;
        };
        for (const { namespace, value } of tx.scan(parts.images)) of(namespace).images.push(value);
        for (const { namespace, value } of tx.scan(parts.leases)) of(namespace).leases.push(value);
        for (const { namespace, value } of tx.scan(parts.content)) of(namespace).content.push(value);
        const found: [string, Garbage][] = [];
        const now = Date.now();
        for (const [namespace, snapshot] of snapshots) {
          const g = findGarbage(snapshot as NamespaceSnapshot, now);
          for (const digest of g.content) tx.remove(parts.content, namespace, digest);
          for (const name of g.images) tx.remove(parts.images, namespace, name);
          for (const id of g.leases) tx.remove(parts.leases, namespace, id);
          found.push([namespace, g]);
        }
        return found;
      });
      const live = new Set<string>();
      for (const namespace of parts.content.namespaces()) for (const info of parts.content.values(namespace)) live.add(info.digest);
      let deletedBlobs = 0;
      let freedBytes = 0;
      for (const digest of await local.listBlobs()) {
        if (live.has(digest)) continue;
        freedBytes += (await local.blobSize(digest)) ?? 0;
        await local.deleteBlob(digest);
        deletedBlobs++;
      }
      for (const [namespace, g] of garbage) {
        for (const name of g.images) events.publish(namespace, '/images/delete', { typeName: 'containerd.services.images.v1.ImageDelete', fields: { name } });
        for (const digest of g.content) events.publish(namespace, '/content/delete', { typeName: 'containerd.events.ContentDelete', fields: { digest } });
      }
      const count = (pick: (g: Garbage) => readonly unknown[]) => garbage.reduce((n, [, g]) => n + pick(g).length, 0);
      return {
        removedContent: count((g) => g.content),
        removedImages: count((g) => g.images),
        removedLeases: count((g) => g.leases),
        deletedBlobs,
        freedBytes,
        durationMs: performance.now() - started,
      };
    });
}
