/**
 * A persisted copy of the CRI reference cache (every image with its facts and references) and of
 * its ListImages answer (the unfiltered list, encoded), together with the generation of the CRI
 * namespace's image records they were built from. Facts depend only on content digests, so while
 * that generation is unchanged both are exactly what a rebuild from the records gives: a restart
 * answers ListImages from the saved list at once and restores the cache instead of rebuilding it.
 */
import type { Image } from '../images/index.js';
import type { MetadataDb, Table } from '../metadata/index.js';
import { FACTS_NAMESPACE, type ImageFacts } from './image-facts.js';
import { referenceState } from './image-sync.js';
import { ReferenceCache, type CriImage, type SavedImage } from './reference-cache.js';

/** Bumped whenever what is saved changes meaning (the encoding of an image, or the cache's rules). */
const FORMAT = 1;

/** What is saved, with the generation it was built at. */
interface Saved<T> {
  readonly format: number;
  readonly generation: number;
  readonly value: T;
}

/** A part of the saved cache: the images are saved in parts so that reading them can be sliced. */
interface SavedPart extends Saved<SavedImage[]> {
  /** How many parts there are. */
  readonly parts: number;
}

/** Images per saved part. */
const PART_IMAGES = 64;

/** The record name of part `i` (fixed width, so records sort in part order). */
const partName = (i: number): string => String(i).padStart(8, '0');

/** Where the snapshot comes from and goes to. */
export interface CacheSnapshotSource {
  /** The CRI namespace (`k8s.io`). */
  readonly namespace: string;
  /** The database holding the snapshot, the image records and their generations. */
  readonly db: MetadataDb;
  /** The image records of every namespace. */
  readonly images: Table<Image>;
  /** Persisted facts by target digest. */
  readonly facts: Table<ImageFacts>;
}

/** The persisted cache of one namespace. */
export interface CacheSnapshot {
  /** The saved ListImages answer, while the image records are still the ones it was built from. */
  list(): Uint8Array | undefined;
  /**
   * The saved cache contents, while the image records are still the ones they were built from
   * (read in slices, letting I/O run in between; the check is made once they are read).
   */
  images(): Promise<readonly SavedImage[] | undefined>;
  /**
   * Rebuilds the cache from the image records and persisted facts and saves it with `encode(list)`
   * and the records' generation; does nothing when the saved copy is still current, or when some
   * image has no persisted facts (its content could not be read), so that a restart rebuilds instead.
   */
  save(encode: (images: readonly CriImage[]) => Uint8Array): Promise<void>;
}

/** Opens the snapshot of `source.namespace`. */
export function openCacheSnapshot(source: CacheSnapshotSource): CacheSnapshot {
  const { db, namespace } = source;
  // Two tables: answering the first ListImages reads only the (small) encoded list.
  const lists = db.table<Saved<Uint8Array>>('cri-list-snapshot');
  const parts = db.table<SavedPart>('cri-cache-snapshot');
  const isCurrent = (saved: Saved<unknown> | undefined): boolean =>
    saved !== undefined && saved.format === FORMAT && saved.generation === db.generation(source.images, namespace);
  const currentImages = (): SavedImage[] | undefined => {
    const saved = parts.values(namespace);
    if (saved.length === 0 || saved.length !== saved[0]!.parts || !saved.every(isCurrent)) return undefined;
    return saved.flatMap((part) => part.value);
  };
  const list = (): Uint8Array | undefined => {
    const saved = lists.get('', namespace);
    return saved !== undefined && isCurrent(saved) ? saved.value : undefined;
  };
  return {
    list,
    async images() {
      await parts.preload();
      return currentImages();
    },
    async save(encode) {
      if (list() !== undefined && currentImages() !== undefined) return;
      // Built synchronously, so the generation read here is the one the cache reflects.
      const generation = db.generation(source.images, namespace);
      const cache = new ReferenceCache();
      for (const image of source.images.values(namespace)) {
        const facts = source.facts.get(FACTS_NAMESPACE, image.target.digest);
        if (facts === undefined) return;
        cache.update(image.name, referenceState(image, facts));
      }
      const encoded: Saved<Uint8Array> = { format: FORMAT, generation, value: encode(cache.list()) };
      const images = cache.saved();
      const count = Math.max(1, Math.ceil(images.length / PART_IMAGES));
      const stale = parts.values(namespace).length;
      await db.update((tx) => {
        tx.put(lists, '', namespace, encoded);
        for (let i = 0; i < count; i++) {
          const value = images.slice(i * PART_IMAGES, (i + 1) * PART_IMAGES);
          tx.put(parts, namespace, partName(i), { format: FORMAT, generation, parts: count, value });
        }
        for (let i = count; i < stale; i++) tx.remove(parts, namespace, partName(i));
      });
    },
  };
}
