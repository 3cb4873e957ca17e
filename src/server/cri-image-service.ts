/**
 * runtime.v1.ImageService (CRI) answered from the reference cache. Every call is Unavailable until
 * the cache has loaded the CRI namespace.
 */
import { create } from '@bufbuild/protobuf';
import type { CriImage, ReferenceCache } from '../cri/reference-cache.js';
import { localResolve } from '../cri/local-resolve.js';
import type { AuthConfigFields } from '../cri/auth-config.js';
import { invalidArgument, isKind, unavailable } from '../errdefs/index.js';
import type { ImageStore } from '../metadata/index.js';
import { splitReferences } from '../reference/index.js';
import { ImageService, ImageSchema } from '../../gen/runtime/v1/api_pb.js';
import { EncodedMessage, type ServiceImpl } from './adapter.js';
import { encodeCriImage } from './cri-image-encoding.js';
import { EncodingCache, encodeOnce, encodeRepeatedField } from './encoding-cache.js';
import type { CollectGarbage } from './images-service.js';

/** Images per StreamImages message, as containerd batches them. */
const STREAM_BATCH = 5000;

/** What the CRI image service works on. */
export interface CriParts {
  /** The CRI namespace (`k8s.io`). */
  readonly namespace: string;
  /** The reference cache. */
  readonly cache: ReferenceCache;
  /** Resolves once the cache holds every existing image. */
  readonly ready: Promise<void>;
  /** The persisted unfiltered ListImages answer, while it is still current (it is served even before the cache is ready). */
  readonly savedList: () => Uint8Array | undefined;
  /** Resolves once every image event so far is reflected in the cache. */
  readonly settled: () => Promise<void>;
  /** The image records. */
  readonly images: ImageStore;
  /** Runs a synchronous collection (after an image's last reference is removed). */
  readonly collect: CollectGarbage;
  /** Usage of the content store: bytes and files. */
  readonly usage: () => { bytes: number; inodes: number; mountpoint: string };
  /** Pulls `image` with optional credentials and returns its image ID once the cache has it. */
  readonly pull: (image: string, auth: AuthConfigFields | undefined, signal: AbortSignal) => Promise<string>;
}

/** The CRI view of a cached image, as a message (verbose status; the reference for the direct encoder). */
export function toCriImage(image: CriImage) {
  const { repoTags, repoDigests } = splitReferences(image.references);
  const user = image.facts.user;
  return create(ImageSchema, {
    id: image.facts.id,
    repoTags,
    repoDigests,
    size: BigInt(image.facts.size),
    ...('uid' in user ? { uid: { value: user.uid } } : {}),
    ...('username' in user ? { username: user.username } : {}),
    pinned: image.pinned,
  });
}

/**
 * A ListImagesResponse (or ImageStatusResponse, for one image): field 1 holds `images`, each encoded
 * once per cache state (views are immutable).
 */
export const encodeImageList = (images: readonly CriImage[]): Uint8Array =>
  encodeRepeatedField(1, images.map((image) => encodeOnce(image, encodeCriImage)));

const encodeImages = (images: readonly CriImage[]): EncodedMessage => new EncodedMessage(encodeImageList(images));

/** Non-verbose ImageStatus replies per image view. */
const statusReplies = new EncodingCache<CriImage, EncodedMessage>();

/** The image `ref` names, or undefined when none does. */
function find(cache: ReferenceCache, ref: string): CriImage | undefined {
  try {
    return localResolve(cache, ref);
  } catch (err) {
    if (isKind(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** Implements the CRI ImageService. */
export function createCriImageService(parts: CriParts): ServiceImpl<(typeof ImageService)['method']> {
  let loaded = false;
  parts.ready.then(() => (loaded = true), () => undefined);
  const ready = () => {
    if (!loaded) throw unavailable('server is not initialized yet: the CRI image cache is loading');
  };
  const listed = (filter: string | undefined) => {
    if (filter === undefined || filter === '') return parts.cache.list();
    const image = find(parts.cache, filter);
    return image === undefined ? [] : [image];
  };
  return {
    async listImages(req) {
      const filter = req.filter?.image?.image;
      const saved = filter === undefined || filter === '' ? parts.savedList() : undefined;
      if (saved !== undefined) return new EncodedMessage(saved);
      ready();
      return encodeImages(listed(filter));
    },

    async streamImages(req, ctx, send) {
      ready();
      const images = listed(req.filter?.image?.image);
      for (let i = 0; i < images.length && !ctx.signal.aborted; i += STREAM_BATCH) {
        await send(encodeImages(images.slice(i, i + STREAM_BATCH)));
      }
      if (images.length === 0) await send({ images: [] });
    },

    async imageStatus(req) {
      ready();
      const image = find(parts.cache, req.image?.image ?? '');
      if (image === undefined) return {};
      // Non-verbose status (kubelet's hot path) is the image alone, encoded once per cache state.
      if (!req.verbose) return statusReplies.of(image, (i) => encodeImages([i]));
      const info: Record<string, string> = {};
      {
        info['info'] = JSON.stringify({ chainID: image.facts.chainId, imageSpec: JSON.parse(image.facts.configJson) as unknown });
      }
      return { image: toCriImage(image), info };
    },

    async pullImage(req, ctx) {
      ready();
      const image = req.image?.image ?? '';
      if (image === '') throw invalidArgument('PullImage needs image.image: the reference to pull, e.g. docker.io/library/busybox:1.36');
      return { imageRef: await parts.pull(image, req.auth, ctx.signal) };
    },

    async removeImage(req) {
      ready();
      const image = find(parts.cache, req.image?.image ?? '');
      if (image === undefined) return {};
      for (const ref of image.references) {
        try {
          await parts.images.delete(parts.namespace, ref);
        } catch (err) {
          if (!isKind(err, 'NotFound')) throw err;
        }
      }
      await parts.settled();
      await parts.collect();
      return {};
    },

    async imageFsInfo() {
      ready();
      const { bytes, inodes, mountpoint } = parts.usage();
      const timestamp = BigInt(Date.now()) * 1_000_000n;
      return {
        imageFilesystems: [{ timestamp, fsId: { mountpoint }, usedBytes: { value: BigInt(bytes) }, inodesUsed: { value: BigInt(inodes) } }],
        containerFilesystems: [],
      };
    },
  };
}
