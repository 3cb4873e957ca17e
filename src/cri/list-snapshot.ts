/**
 * A persisted copy of the CRI ListImages answer (the unfiltered list, encoded) together with the
 * generation of the CRI namespace's image records it was built from. Image facts depend only on
 * content digests, so while that generation is unchanged the copy is exactly what a rebuild of the
 * reference cache would list: a restart answers ListImages from it without waiting for the rebuild.
 */
import type { Image } from '../images/index.js';
import type { MetadataDb, Table } from '../metadata/index.js';
import { FACTS_NAMESPACE, type ImageFacts } from './image-facts.js';
import { referenceState } from './image-sync.js';
import { ReferenceCache, type CriImage } from './reference-cache.js';

/** Bumped whenever what is saved changes meaning (the encoding of an image, or the cache's rules). */
const FORMAT = 1;

interface SnapshotRecord {
  readonly format: number;
  readonly generation: number;
  readonly encoding: Uint8Array;
}

/** Where the snapshot comes from and goes to. */
export interface ListSnapshotSource {
  /** The CRI namespace (`k8s.io`). */
  readonly namespace: string;
  /** The database holding the snapshot, the image records and their generations. */
  readonly db: MetadataDb;
  /** The image records of every namespace. */
  readonly images: Table<Image>;
  /** Persisted facts by target digest. */
  readonly facts: Table<ImageFacts>;
}

/** The persisted list of one namespace. */
export interface ListSnapshot {
  /** The saved encoding, while the image records are still the ones it was built from. */
  current(): Uint8Array | undefined;
  /**
   * Rebuilds the list from the image records and persisted facts and saves `encode(list)` with the
   * records' generation; does nothing when the saved copy is still current, or when some image has
   * no persisted facts (its content could not be read), so that a restart rebuilds instead.
   */
  save(encode: (images: readonly CriImage[]) => Uint8Array): Promise<void>;
}

/** Opens the snapshot of `source.namespace`. */
export function openListSnapshot(source: ListSnapshotSource): ListSnapshot {
  const { db, namespace } = source;
  const table = db.table<SnapshotRecord>('cri-list-snapshot');
  const usable = (record: SnapshotRecord | undefined): record is SnapshotRecord =>
    record !== undefined && record.format === FORMAT && record.generation === db.generation(source.images, namespace);
  return {
    current() {
      const record = table.get('', namespace);
      return usable(record) ? record.encoding : undefined;
    },
    async save(encode) {
      if (usable(table.get('', namespace))) return;
      // Built synchronously, so the generation read here is the one the list reflects.
      const generation = db.generation(source.images, namespace);
      const cache = new ReferenceCache();
      for (const image of source.images.values(namespace)) {
        const facts = source.facts.get(FACTS_NAMESPACE, image.target.digest);
        if (facts === undefined) return;
        cache.update(image.name, referenceState(image, facts));
      }
      const record: SnapshotRecord = { format: FORMAT, generation, encoding: encode(cache.list()) };
      await db.update((tx) => tx.put(table, '', namespace, record));
    },
  };
}
