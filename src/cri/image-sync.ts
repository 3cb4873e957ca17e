/**
 * Keeps the reference cache equal to the CRI namespace's image records: fills it when asked to
 * (from the cache saved at the last clean stop when no record changed since; otherwise from the
 * records, with facts from the persisted facts table, computed only for targets never seen before;
 * either way yielding to I/O now and then so calls are answered meanwhile), and applies every
 * /images/* event of that namespace, one at a time, in order.
 */
import type { Provider } from '../content/index.js';
import { isKind } from '../errdefs/index.js';
import type { EventBus } from '../events/index.js';
import type { Image } from '../images/index.js';
import type { MetadataDb, Table } from '../metadata/index.js';
import type { PlatformMatcher } from '../platforms/index.js';
import { TimeSlice } from '../sync/index.js';
import { FACTS_NAMESPACE, factsTable, readImageFacts, type ImageFacts } from './image-facts.js';
import type { ReferenceCache, ReferenceState, SavedImage } from './reference-cache.js';

/** Label value that pins a reference (kubelet's image GC leaves pinned images alone). */
export const PINNED_LABEL = 'io.cri-containerd.pinned';
/** The value of {@link PINNED_LABEL} that means pinned. */
export const PINNED_VALUE = 'pinned';

/** What `image` contributes to the cache, given the facts of its target. */
export const referenceState = (image: Image, facts: ImageFacts): ReferenceState => ({
  facts,
  pinned: image.labels[PINNED_LABEL] === PINNED_VALUE,
});

/** Where the CRI images come from. */
export interface ImageSource {
  /** The CRI namespace (`k8s.io`). */
  readonly namespace: string;
  /** The image records of every namespace. */
  readonly images: Table<Image>;
  /** Reads the namespace's content. */
  readonly provider: Provider;
  /** The database (facts are persisted in it). */
  readonly db: MetadataDb;
  /** Selects the platform an image is reported for. */
  readonly matcher: PlatformMatcher;
  /** The cache as saved at the last clean stop, while the records are unchanged since. */
  readonly saved: () => Promise<readonly SavedImage[] | undefined>;
  /** Hears about images that cannot be read (missing or corrupt content). */
  readonly warn: (message: string, fields: Readonly<Record<string, unknown>>) => void;
}

/** The running synchronisation. */
export interface ImageSync {
  /** Resolves once every existing image is in the cache (after {@link ImageSync.load}). */
  readonly ready: Promise<void>;
  /** Starts loading every existing image (events are applied from the start); later calls do nothing. */
  load(): void;
  /** Resolves when every event received so far has been applied. */
  settled(): Promise<void>;
  /** Stops listening to events. */
  stop(): void;
}

/** Starts keeping `cache` in step with `source`, listening on `bus`; call `load()` to fill it. */
export function startImageSync(cache: ReferenceCache, source: ImageSource, bus: EventBus): ImageSync {
  const facts = factsTable(source.db);

  const factsOf = async (target: Image['target']): Promise<ImageFacts> => {
    const known = facts.get(FACTS_NAMESPACE, target.digest);
    if (known !== undefined) return known;
    const fresh = await readImageFacts(source.provider, target, source.matcher);
    // Saving only spares the next start a config read: a failure (a full disk) must not hide the image.
    await source.db.update((tx) => tx.put(facts, FACTS_NAMESPACE, target.digest, fresh)).catch((err: unknown) => {
      source.warn('image facts not saved; they will be read again at the next start', { digest: target.digest, reason: (err as Error).message });
    });
    return fresh;
  };

  const refresh = async (name: string): Promise<void> => {
    const image = source.images.get(source.namespace, name);
    if (image === undefined) return cache.update(name, undefined);
    try {
      cache.update(name, referenceState(image, await factsOf(image.target)));
    } catch (err) {
      if (!(isKind(err, 'NotFound') || isKind(err, 'FailedPrecondition') || isKind(err, 'ResourceExhausted'))) throw err;
      cache.update(name, undefined);
      source.warn('image left out of CRI: its content cannot be read', { image: name, reason: (err as Error).message });
    }
  };

  let queue: Promise<void> = Promise.resolve();
  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work, work);
    return queue;
  };
  const stop = bus.subscribe(
    (e) => e.namespace === source.namespace && e.topic.startsWith('/images/'),
    (e) => {
      const name = e.event.fields?.name;
      if (typeof name === 'string') void enqueue(() => refresh(name));
    },
  );
  let load!: () => void;
  const ready = new Promise<void>((resolve) => (load = resolve)).then(() =>
    enqueue(async () => {
      const slice = new TimeSlice();
      // Any image write before this check changed the generation, so the saved cache is not used;
      // the events of writes after it wait behind this load in the queue.
      const saved = await source.saved();
      if (saved !== undefined) {
        for (const image of saved) {
          cache.restore(image);
          if (slice.over) await slice.next();
        }
        return;
      }
      await source.images.preload();
      await facts.preload();
      for (const image of source.images.values(source.namespace)) {
        await refresh(image.name);
        if (slice.over) await slice.next();
      }
    }),
  );
  return { ready, load, settled: () => enqueue(async () => {}), stop };
}
