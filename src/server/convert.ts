/** Conversions between wire messages and domain records shared by several services. */
import { create } from '@bufbuild/protobuf';
import { TimestampSchema, type Timestamp } from '@bufbuild/protobuf/wkt';
import type { Nanos } from '../clock/index.js';
import type { Descriptor } from '../content/index.js';
import type { Image, ImageInput } from '../images/index.js';
import {
  DescriptorSchema,
  type Descriptor as DescriptorMessage,
} from '../../gen/types/descriptor_pb.js';
import { ImageSchema, type Image as ImageMessage } from '../../gen/services/images/v1/images_pb.js';

/** Nanoseconds since the epoch as a protobuf Timestamp. */
export const toTimestamp = (t: Nanos): Timestamp =>
  create(TimestampSchema, { seconds: t / 1_000_000_000n, nanos: Number(t % 1_000_000_000n) });

/** A protobuf Timestamp as nanoseconds since the epoch. */
export const fromTimestamp = (t: Timestamp): Nanos => t.seconds * 1_000_000_000n + BigInt(t.nanos);

/** A descriptor message as a domain descriptor (missing fields become empty). */
export const fromDescriptor = (d: DescriptorMessage | undefined): Descriptor => ({
  mediaType: d?.mediaType ?? '',
  digest: d?.digest ?? '',
  size: Number(d?.size ?? 0n),
  annotations: { ...d?.annotations },
});

/** A domain descriptor as a descriptor message. */
export const toDescriptor = (d: Descriptor): DescriptorMessage =>
  create(DescriptorSchema, { mediaType: d.mediaType, digest: d.digest, size: BigInt(d.size), annotations: { ...d.annotations } });

/** An image message as the input of a create or update. */
export const fromImage = (m: ImageMessage | undefined): ImageInput => ({
  name: m?.name ?? '',
  labels: { ...m?.labels },
  target: fromDescriptor(m?.target),
});

/** A stored image as an image message. */
export const toImage = (image: Image): ImageMessage =>
  create(ImageSchema, {
    name: image.name,
    labels: { ...image.labels },
    target: toDescriptor(image.target),
    createdAt: toTimestamp(image.createdAt),
    updatedAt: toTimestamp(image.updatedAt),
  });
