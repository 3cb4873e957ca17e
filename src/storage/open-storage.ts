/**
 * The storage of one imaged root: the blob store under `ROOT/content`, the metadata database under
 * `ROOT/metadata`, and the garbage collector that keeps them consistent.
 */
import { join } from 'node:path';
import { LocalContentStore } from '../content/local/index.js';
import type { EventPublisher } from '../events/index.js';
import { createCollector, createGcScheduler, type GcResult, type GcSchedule, type GcScheduler } from '../gc/index.js';
import { openMetadata, type Metadata } from '../metadata/index.js';
import { SharedExclusiveLock } from '../sync/index.js';

/** Everything stored under one root. */
export interface Storage {
  /** Namespaces, images, leases and content visibility. */
  readonly metadata: Metadata;
  /** Blobs and ingests. */
  readonly local: LocalContentStore;
  /** Garbage collection. */
  readonly gc: GcScheduler;
  /** Stops collections and closes the database. */
  close(): Promise<void>;
}

/**
 * Default timing: collect 100 ms after the 100th deletion (containerd's threshold), 1 s after start
 * (containerd: 100 ms; later here so the scan does not compete with the first requests), and every
 * 10 minutes when anything was deleted since the last collection.
 */
export const DEFAULT_GC_SCHEDULE: Omit<GcSchedule, 'report'> = {
  mutationThreshold: 100,
  delayMs: 100,
  startupDelayMs: 1000,
  intervalMs: 10 * 60_000,
};

/** Opens the storage under `root`; `report` hears the outcome of background collections. */
export async function openStorage(
  root: string,
  events: EventPublisher,
  report: (result: GcResult | Error) => void = () => {},
  schedule: Omit<GcSchedule, 'report'> = DEFAULT_GC_SCHEDULE,
): Promise<Storage> {
  const local = await LocalContentStore.open(join(root, 'content'));
  const gcLock = new SharedExclusiveLock();
  let markDirty = (): void => {};
  const metadata = openMetadata(root, { events, local, gcLock, onDelete: () => markDirty() });
  const collect = createCollector({
    db: metadata.db,
    images: metadata.images.table,
    leases: metadata.leases.table,
    content: metadata.content.table,
    local,
    lock: gcLock,
    events,
  });
  const gc = createGcScheduler(collect, { ...schedule, report });
  // The scheduler's first collection also removes blobs a crash left without any namespace.
  markDirty = () => gc.markDirty();
  return {
    metadata,
    local,
    gc,
    async close() {
      await gc.close();
      await metadata.db.close();
    },
  };
}
