/**
 * Everything CRI needs besides the gRPC handlers: the reference cache kept in step with the CRI
 * namespace, pulls from registries that leave containerd's image records (their progress published
 * on the bus), and content usage.
 */
import { TOPIC_PULL_PROGRESS, type EventBus } from '../events/index.js';
import { defaultPlatformMatcher } from '../platforms/index.js';
import { createHttpTransport, createPuller, createRegistryClient, parseReference, trackPull, type PullMeasurement, type PullMeter, type PullObserver } from '../pull/index.js';
import { contentUsage, type Storage } from '../storage/index.js';
import { credentialsFor, type AuthConfigFields } from './auth-config.js';
import { factsTable } from './image-facts.js';
import { createOrUpdateReference, pullReferences } from './image-references.js';
import { pullProgressEvent } from './pull-progress-event.js';
import { startImageSync, type ImageSync } from './image-sync.js';
import { openCacheSnapshot, type CacheSnapshot } from './cache-snapshot.js';
import { pinnedMatcher } from './pinned-images.js';
import { ReferenceCache } from './reference-cache.js';

/** How the CRI side is set up. */
export interface CriRuntimeOptions {
  /** The CRI namespace (`k8s.io`). */
  readonly namespace: string;
  /** Directory of `<host>/hosts.toml` registry configurations. */
  readonly registryConfigDir?: string;
  /** Blob downloads running at once across all pulls. */
  readonly maxConcurrentDownloads: number;
  /** References (any spelling) and `*` patterns whose pulls are pinned: the sandbox image and configured ones. */
  readonly pinnedImages: readonly string[];
  /** Longest wait for the next byte of a blob before a pull fails; 0 for no limit. */
  readonly pullProgressTimeoutMs?: number;
  /** Hears notable happenings (an image pulled, an image left out). */
  readonly log: (level: 'info' | 'warn', msg: string, fields: Readonly<Record<string, unknown>>) => void;
  /** Measures pulls (metrics). */
  readonly pullMeter?: PullMeter;
}

/** The running CRI side. */
export interface CriRuntime {
  /** References and images of the CRI namespace. */
  readonly cache: ReferenceCache;
  /** Keeps the cache current. */
  readonly sync: ImageSync;
  /** The cache and ListImages answer saved at the last clean stop. */
  readonly snapshot: CacheSnapshot;
  /** Pulls `image` and returns its image ID once the cache has it. */
  pull(image: string, auth: AuthConfigFields | undefined, signal: AbortSignal): Promise<string>;
  /** Bytes and files of the content store (every namespace, each blob once). */
  usage(): { bytes: number; inodes: number; mountpoint: string };
  /** Stops event handling and closes registry connections. */
  close(): void;
}

/** `observer`, also counting every byte the pull stores into `measurement`. */
const measured = (observer: PullObserver, measurement: PullMeasurement): PullObserver => ({
  waiting: (desc) => observer.waiting(desc),
  downloading: (digest, offset) => observer.downloading(digest, offset),
  advanced(digest, bytes) {
    observer.advanced(digest, bytes);
    measurement.fetched(bytes);
  },
  stored: (digest, reused) => observer.stored(digest, reused),
});

/** Starts the CRI side on `storage`, listening to `bus`. */
export function startCriRuntime(storage: Storage, bus: EventBus, options: CriRuntimeOptions): CriRuntime {
  const { metadata } = storage;
  const { namespace } = options;
  const matcher = defaultPlatformMatcher();
  const cache = new ReferenceCache();
  const snapshot = openCacheSnapshot({ namespace, db: metadata.db, images: metadata.images.table, facts: factsTable(metadata.db) });
  const sync = startImageSync(
    cache,
    {
      namespace,
      images: metadata.images.table,
      provider: metadata.content.provider(namespace),
      db: metadata.db,
      matcher,
      saved: () => snapshot.images(),
      warn: (msg, fields) => options.log('warn', msg, fields),
    },
    bus,
  );
  const puller = createPuller({
    namespace,
    content: metadata.content,
    leases: metadata.leases,
    matcher,
    maxConcurrentDownloads: options.maxConcurrentDownloads,
  });
  const transport = createHttpTransport();
  const isPinned = pinnedMatcher(options.pinnedImages);
  return {
    cache,
    sync,
    snapshot,
    async pull(image, auth, signal) {
      const ref = parseReference(image);
      const client = createRegistryClient({
        transport,
        ...(options.registryConfigDir === undefined ? {} : { configDir: options.registryConfigDir }),
        ...(options.pullProgressTimeoutMs === undefined ? {} : { stallTimeoutMs: options.pullProgressTimeoutMs }),
        credentials: (host) => credentialsFor(auth, host) ?? credentialsFor(auth, ref.host),
      });
      const started = performance.now();
      const progress = trackPull(ref.name, (snapshot) => bus.publish(namespace, TOPIC_PULL_PROGRESS, pullProgressEvent(snapshot)));
      const measurement = options.pullMeter?.started();
      let pulled;
      try {
        pulled = await puller.pull(client, ref.name, signal, measurement === undefined ? progress : measured(progress, measurement));
        for (const name of pullReferences(ref.name, pulled.target, pulled.configDigest)) {
          await createOrUpdateReference(metadata.images, namespace, name, pulled.target, isPinned(ref.name));
        }
        await metadata.leases.delete(namespace, pulled.lease);
        await sync.settled();
      } catch (err) {
        progress.fail(err instanceof Error ? err.message : String(err));
        measurement?.finished(false);
        throw err;
      }
      progress.finish(pulled.configDigest);
      measurement?.finished(true);
      options.log('info', 'image pulled', { image: ref.name, id: pulled.configDigest, ms: Math.round(performance.now() - started) });
      return pulled.configDigest;
    },
    usage() {
      const { bytes, blobs } = contentUsage(metadata.content.table);
      return { bytes, inodes: blobs, mountpoint: storage.local.paths.root };
    },
    close() {
      sync.stop();
      transport.close();
    },
  };
}
