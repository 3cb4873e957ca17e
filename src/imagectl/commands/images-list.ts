/**
 * `imagectl images ls`. Without `-n` it lists the CRI view (k8s.io) like `crictl images`: IMAGE,
 * TAG, IMAGE ID, SIZE, one row per tag, `--filter` a CRI image filter (a reference). With `-n NS`
 * it lists NS's image records through Images.List like docker: REF, DIGEST, SIZE, CREATED,
 * `--filter` in containerd's filter language.
 */
import { toJson } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import { invalidArgument } from '../../errdefs/index.js';
import { imageSize } from '../../images/handlers/index.js';
import { ImageService, ImageSchema, type Image as CriImage } from '../../../gen/runtime/v1/api_pb.js';
import { Images, ImageSchema as RecordSchema } from '../../../gen/services/images/v1/images_pb.js';
import { humanSize, shortId, timeAgo } from '../format/index.js';
import { printListing, type ListingOptions } from '../listing.js';
import { remoteProvider } from '../remote-provider.js';
import type { Session } from '../session.js';

/** Options of `images ls`. */
export interface ImagesListOptions extends ListingOptions {
  /** Filters (CRI: at most one reference; containerd: filter expressions, any matching). */
  readonly filter: readonly string[];
}

/** Splits `name:tag` at the tag's colon (not a registry port's). */
function repoAndTag(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, '<none>'];
}

/** One row per tag; an untagged image shows the repository of its first digest and `<none>`. */
function criRows(image: CriImage): string[][] {
  const id = shortId(image.id);
  const size = humanSize(Number(image.size));
  if (image.repoTags.length > 0) return image.repoTags.map((ref) => [...repoAndTag(ref), id, size]);
  const repo = image.repoDigests[0]?.split('@')[0] ?? '<none>';
  return [[repo, '<none>', id, size]];
}

async function listCri(session: Session, options: ImagesListOptions): Promise<void> {
  if (options.filter.length > 1) throw invalidArgument(`--filter given ${options.filter.length} times: the CRI image filter is one reference (containerd filters need -n NAMESPACE)`);
  const filter = options.filter[0];
  const { images } = await session.client(ImageService).listImages(filter === undefined ? {} : { filter: { image: { image: filter } } });
  printListing(
    session.stdout,
    {
      header: ['IMAGE', 'TAG', 'IMAGE ID', 'SIZE'],
      rows: images.flatMap(criRows),
      ids: [...new Set(images.map((i) => i.id))],
      data: { images: images.map((i) => toJson(ImageSchema, i)) },
    },
    options,
  );
}

async function listRecords(session: Session, options: ImagesListOptions): Promise<void> {
  const { images } = await session.client(Images).list({ filters: [...options.filter] }, session.inNamespace());
  const provider = remoteProvider(session, session.namespace);
  const now = Date.now();
  const rows = await Promise.all(
    images.map(async (image) => {
      const target = image.target;
      const size = target === undefined ? undefined : await imageSize(provider, { ...target, size: Number(target.size) }).catch(() => undefined);
      const created = image.createdAt === undefined ? '' : timeAgo(timestampMs(image.createdAt), now);
      return [image.name, target?.digest ?? '', size === undefined ? '-' : humanSize(size), created];
    }),
  );
  printListing(
    session.stdout,
    { header: ['REF', 'DIGEST', 'SIZE', 'CREATED'], rows, ids: images.map((i) => i.name), data: { images: images.map((i) => toJson(RecordSchema, i)) } },
    options,
  );
}

/** Lists images: the CRI view without `-n`, the namespace's records with it. */
export function imagesList(session: Session, options: ImagesListOptions): Promise<void> {
  return session.namespaceOption === undefined ? listCri(session, options) : listRecords(session, options);
}
