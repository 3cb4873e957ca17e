/**
 * Pulling one image from a registry into the content store: resolve the reference, store the index
 * (if any), the manifest for our platform, its config and its layers, each verified against its
 * digest while it streams in, under a lease that protects the partial image from collection.
 * Concurrent pulls share downloads: one fetch per digest at a time, bounded in number. A download
 * broken by a reset, a stall or an unavailable registry resumes from what is stored, a few times;
 * bytes that fail their digest are discarded, so they never seed a later resume.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Descriptor } from '../content/index.js';
import { failedPrecondition, isKind, notFound } from '../errdefs/index.js';
import {
  childGcLabels,
  isIndex,
  isManifest,
  parseIndex,
  parseManifest,
  type ImageDescriptor,
} from '../images/handlers/index.js';
import type { ContentStore, ContentWriter, LeaseStore } from '../metadata/index.js';
import { comparePlatforms, formatPlatform, type PlatformMatcher } from '../platforms/index.js';
import { checkManifestLimits } from './manifest-limits.js';
import type { PullObserver } from './pull-progress.js';
import type { Fetcher, RegistryClient } from './registry-client.js';
import { writeInBatches } from './write-batches.js';

/** Where pulled content goes. */
export interface PullDestination {
  /** The namespace the content is stored in. */
  readonly namespace: string;
  /** The namespaced content store. */
  readonly content: ContentStore;
  /** Leases (a pull holds one while it runs). */
  readonly leases: LeaseStore;
  /** Selects the manifest of an index. */
  readonly matcher: PlatformMatcher;
  /** Downloads running at once across all pulls (containerd's max_concurrent_downloads). */
  readonly maxConcurrentDownloads: number;
}

/** A finished pull. */
export interface PulledImage {
  /** The normalised reference that was pulled. */
  readonly name: string;
  /** The root descriptor (index or manifest). */
  readonly target: Descriptor;
  /** The config digest: the image ID. */
  readonly configDigest: string;
  /** The lease holding the content; delete it once the image records exist. */
  readonly lease: string;
}

/** Pulls images into a destination. */
export interface Puller {
  /** Pulls `ref` with `client`, telling `progress` about each blob. */
  pull(client: RegistryClient, ref: string, signal?: AbortSignal, progress?: PullObserver): Promise<PulledImage>;
}

/** How long a pull's lease protects its content if the pull never finishes (containerd: 24 h). */
const LEASE_TTL_MS = 24 * 60 * 60 * 1000;

/** Bytes per file write while a blob downloads. */
const WRITE_BATCH_BYTES = 1 << 20;

/** A counting semaphore. */
function limiter(slots: number) {
  const waiting: (() => void)[] = [];
  let free = slots;
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((r) => waiting.push(r));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/** Attempts of one blob download, the first included, when transient failures interrupt it. */
const BLOB_ATTEMPTS = 4;
/** Wait before the second attempt; it doubles for each one after. */
const BLOB_RETRY_BASE_MS = 250;

/** A failure worth another attempt: the connection broke or stalled, or the registry was unavailable. */
const isTransient = (err: unknown): boolean => isKind(err, 'Unavailable') || isKind(err, 'DeadlineExceeded');

/** What every step of one pull works with. */
interface PullRun {
  /** Fetches from the image's repository. */
  readonly fetcher: Fetcher;
  /** The lease that holds what the pull has stored so far. */
  readonly lease: string;
  /** Cancels the pull (the client went away, or the daemon stops). */
  readonly signal: AbortSignal | undefined;
  /** Hears about each blob. */
  readonly progress: PullObserver | undefined;
}

/** Waits `ms`, or less when `signal` aborts. */
const pause = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  sleep(ms, undefined, signal === undefined ? {} : { signal }).catch(() => undefined);

/**
 * Streams `desc` into `writer`, resuming from what the writer holds after a transient failure
 * (with a doubling pause, {@link BLOB_ATTEMPTS} attempts in all); other failures, and any failure
 * once the pull is cancelled, end it at once.
 */
async function downloadBlob(run: PullRun, desc: Descriptor, writer: ContentWriter): Promise<void> {
  const { fetcher, signal, progress } = run;
  for (let attempt = 1; ; attempt++) {
    try {
      const offset = writer.status().offset;
      progress?.downloading(desc.digest, offset);
      // The commit verifies size and digest before the blob is visible: no second hash while streaming.
      const stream = await fetcher.fetchBlob(desc, { offset, verifyDigest: false, ...(signal === undefined ? {} : { signal }) });
      try {
        await writeInBatches(stream, WRITE_BATCH_BYTES, async (piece) => {
          await writer.write(piece);
          progress?.advanced(desc.digest, piece.byteLength);
        });
      } finally {
        stream.close();
      }
      return;
    } catch (err) {
      if (attempt >= BLOB_ATTEMPTS || !isTransient(err) || signal?.aborted === true) throw err;
      await pause(BLOB_RETRY_BASE_MS * 2 ** (attempt - 1), signal);
    }
  }
}

/** The manifest of `index` our platform prefers; NotFound naming what the index offers. */
function selectManifest(index: readonly ImageDescriptor[], matcher: PlatformMatcher, root: string): ImageDescriptor {
  const candidates = index.filter((d) => (isManifest(d.mediaType) || isIndex(d.mediaType)) && (d.platform === undefined || matcher.match(d.platform)));
  const order = comparePlatforms(matcher);
  candidates.sort((a, b) => order(a.platform, b.platform));
  const best = candidates[0];
  if (best === undefined) {
    const offered = index.map((d) => (d.platform ? formatPlatform(d.platform) : 'unknown')).join(', ');
    throw notFound(`image index ${root} has no manifest for ${matcher.description} (it has ${offered || 'none'})`);
  }
  return best;
}

/** Creates a puller for `destination`. */
export function createPuller(destination: PullDestination): Puller {
  const { namespace, content, leases, matcher } = destination;
  const download = limiter(destination.maxConcurrentDownloads);
  const inFlight = new Map<string, Promise<void>>();

  /** Stores one blob (or confirms it is there), under `lease`; one download per digest at a time. */
  const store = async (run: PullRun, desc: Descriptor, labels: Record<string, string>, bytes?: Uint8Array) => {
    const { lease, progress } = run;
    progress?.waiting(desc);
    for (;;) {
      const running = inFlight.get(desc.digest);
      if (running === undefined) break;
      await running.catch(() => undefined);
    }
    const work = download(async () => {
      let writer;
      try {
        writer = await content.writer(namespace, `pull-${desc.digest}`, { total: desc.size, expected: desc.digest, lease });
      } catch (err) {
        if (isKind(err, 'AlreadyExists')) return progress?.stored(desc.digest, true);
        throw err;
      }
      try {
        if (bytes !== undefined) {
          progress?.downloading(desc.digest, 0);
          await writer.write(bytes, 0);
          progress?.advanced(desc.digest, bytes.byteLength);
        } else {
          await downloadBlob(run, desc, writer);
        }
        await writer.commit(desc.size, desc.digest, labels);
        progress?.stored(desc.digest, false);
      } catch (err) {
        // Bytes that fail their digest or size must not seed the next attempt's resume.
        if (isKind(err, 'FailedPrecondition')) await writer.truncate().catch(() => undefined);
        if (!isKind(err, 'AlreadyExists')) throw err;
        progress?.stored(desc.digest, true);
      } finally {
        await writer.close();
      }
    });
    inFlight.set(desc.digest, work);
    try {
      await work;
    } finally {
      if (inFlight.get(desc.digest) === work) inFlight.delete(desc.digest);
    }
  };

  /** Stores a manifest and everything it references; returns the config digest. */
  const storeManifest = async (run: PullRun, desc: Descriptor): Promise<string> => {
    const { fetcher, signal } = run;
    const bytes = await fetcher.fetchManifest(desc, signal === undefined ? {} : { signal });
    const manifest = parseManifest(bytes, { digest: desc.digest, mediaType: desc.mediaType });
    checkManifestLimits(fetcher.reference.name, desc.digest, manifest);
    await Promise.all([manifest.config, ...manifest.layers].map((child) => store(run, child, {})));
    await store(run, desc, { ...childGcLabels([manifest.config, ...manifest.layers]) }, bytes);
    return manifest.config.digest;
  };

  /** Stores `desc` (index or manifest) and the parts our platform needs; returns the config digest. */
  const storeRoot = async (run: PullRun, desc: Descriptor): Promise<string> => {
    if (isManifest(desc.mediaType)) return storeManifest(run, desc);
    if (!isIndex(desc.mediaType)) throw failedPrecondition(`${desc.digest} has media type ${desc.mediaType}, which is not an image index or manifest`);
    const { fetcher, signal } = run;
    const bytes = await fetcher.fetchManifest(desc, signal === undefined ? {} : { signal });
    const index = parseIndex(bytes, { digest: desc.digest, mediaType: desc.mediaType });
    const configDigest = await storeRoot(run, selectManifest(index.manifests, matcher, desc.digest));
    await store(run, desc, { ...childGcLabels(index.manifests) }, bytes);
    return configDigest;
  };

  return {
    async pull(client, ref, signal, progress) {
      const resolved = await client.resolve(ref, signal === undefined ? {} : { signal });
      const fetcher = await client.fetcher(resolved.reference);
      const lease = `pull-${randomUUID()}`;
      await leases.create(namespace, lease, { 'containerd.io/gc.expire': new Date(Date.now() + LEASE_TTL_MS).toISOString() });
      try {
        const configDigest = await storeRoot({ fetcher, lease, signal, progress }, resolved.descriptor);
        return { name: resolved.reference.name, target: resolved.descriptor, configDigest, lease };
      } catch (err) {
        await leases.delete(namespace, lease).catch(() => undefined);
        throw err;
      }
    },
  };
}
