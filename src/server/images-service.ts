/** containerd.services.images.v1.Images over the metadata image store. */
import { create } from '@bufbuild/protobuf';
import { EmptySchema } from '@bufbuild/protobuf/wkt';
import { invalidArgument } from '../errdefs/index.js';
import { parseFilters } from '../filters/index.js';
import { imageFields, type Image } from '../images/index.js';
import type { ImageStore } from '../metadata/index.js';
import { Images } from '../../gen/services/images/v1/images_pb.js';
import { EncodedMessage, type ServiceImpl } from './adapter.js';
import { requireNamespace } from './call-metadata.js';
import { fromImage, fromTimestamp, toImage } from './convert.js';
import { encodeOnce, encodeRepeatedField } from './encoding-cache.js';
import { encodeImage } from './image-encoding.js';

/** Runs garbage collection and resolves when it finished (used by `sync` deletes). */
export type CollectGarbage = () => Promise<void>;

/** A response whose field 1 holds each of `images`, from their cached encodings. */
const encodeImages = (images: readonly Image[]): EncodedMessage =>
  new EncodedMessage(encodeRepeatedField(1, images.map((image) => encodeOnce(image, encodeImage))));

/** Implements the Images service; `collect` runs for deletes with `sync`. */
export function createImagesService(store: ImageStore, collect: CollectGarbage): ServiceImpl<(typeof Images)['method']> {
  return {
    async get(req, ctx) {
      const namespace = requireNamespace(ctx);
      return encodeImages([store.get(namespace, req.name)]);
    },

    async list(req, ctx) {
      const namespace = requireNamespace(ctx);
      if (req.filters.length === 0) return encodeImages(store.list(namespace));
      const filter = parseFilters(req.filters);
      return encodeImages(store.list(namespace, (image) => filter.match(imageFields(image))));
    },

    async create(req, ctx) {
      const namespace = requireNamespace(ctx);
      if (!req.image?.name) throw invalidArgument('Image.Name required');
      const options = req.sourceDateEpoch ? { sourceDateEpoch: fromTimestamp(req.sourceDateEpoch) } : {};
      return { image: toImage(await store.create(namespace, fromImage(req.image), options)) };
    },

    async update(req, ctx) {
      const namespace = requireNamespace(ctx);
      if (!req.image?.name) throw invalidArgument('Image.Name required');
      const options = req.sourceDateEpoch ? { sourceDateEpoch: fromTimestamp(req.sourceDateEpoch) } : {};
      const paths = req.updateMask?.paths ?? [];
      return { image: toImage(await store.update(namespace, fromImage(req.image), paths, options)) };
    },

    async delete(req, ctx) {
      const namespace = requireNamespace(ctx);
      if (req.name === '') throw invalidArgument('image name is required');
      await store.delete(namespace, req.name, req.target ? { targetDigest: req.target.digest } : {});
      if (req.sync) await collect();
      return create(EmptySchema);
    },
  };
}
