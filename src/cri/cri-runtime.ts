/**
 * Everything CRI needs besides the gRPC handlers: the reference cache kept in step with the CRI
 * namespace, pulls from registries that leave containerd's image records, and content usage.
 */
import type { EventBus } from '../events/index.js';
import { defaultPlatformMatcher } from '../platforms/index.js';
import { createHttpTransport, createPuller, createRegistryClient, parseReference } from '../pull/index.js';
import type { Storage } from '../storage/index.js';
import { credentialsFor, type AuthConfigFields } from './auth-config.js';
import { factsTable } from './image-facts.js';
import { createOrUpdateReference, pullReferences } from './image-references.js';
import { startImageSync, type ImageSync } from './image-sync.js';
import { openCacheSnapshot, type CacheSnapshot } from './cache-snapshot.js';
import { ReferenceCache } from './reference-cache.js';

/** How the CRI side is set up. */
export interface CriRuntimeOptions {
  /** The CRI namespace (`k8s.io`). */
  readonly namespace: string;
  /** Directory of `<host>/hosts.toml` registry configurations. */
  readonly registryConfigDir?: string;
  /** Blob downloads running at once across all pulls. */
  readonly maxConcurrentDownloads: number;
  /** References whose pulls are pinned (the sandbox image and any configured ones), any spelling. */
  readonly pinnedImages: readonly string[];
  /** Hears notable happenings (an image pulled, an image left out). */
  readonly log: (level: 'info' | 'warn', msg: string, fields: Readonly<Record<string, unknown>>) => void;
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
  const pinned = new Set(options.pinnedImages.map((image) => parseReference(image).name));
  return {
    cache,
    sync,
    snapshot,
    async pull(image, auth, signal) {
      const ref = parseReference(image);
      const client = createRegistryClient({
        transport,
        ...(options.registryConfigDir === undefined ? {} : { configDir: options.registryConfigDir }),
        credentials: (host) => credentialsFor(auth, host) ?? credentialsFor(auth, ref.host),
      });
      const started = performance.now();
      const pulled = await puller.pull(client, ref.name, signal);
      for (const name of pullReferences(ref.name, pulled.target, pulled.configDigest)) {
        await createOrUpdateReference(metadata.images, namespace, name, pulled.target, pinned.has(ref.name));
      }
      await metadata.leases.delete(namespace, pulled.lease);
      await sync.settled();
      options.log('info', 'image pulled', { image: ref.name, id: pulled.configDigest, ms: Math.round(performance.now() - started) });
      return pulled.configDigest;
    },
    usage() {
      const sizes = new Map<string, number>();
      const table = metadata.content.table;
      for (const ns of table.namespaces()) for (const info of table.values(ns)) sizes.set(info.digest, info.size);
      let bytes = 0;
      for (const size of sizes.values()) bytes += size;
      return { bytes, inodes: sizes.size, mountpoint: storage.local.paths.root };
    },
    close() {
      sync.stop();
      transport.close();
    },
  };
}
