/** The image record containerd keeps per namespace: a name pointing at a target descriptor. */
import type { Nanos } from '../clock/index.js';
import type { Descriptor, StringMap } from '../content/index.js';
import { tryParseDigest } from '../digest/index.js';
import { invalidArgument } from '../errdefs/index.js';
import { validateLabels } from '../identifiers/index.js';

/** A named reference to content, with labels and timestamps. */
export interface Image {
  /** Unique name within its namespace, usually a reference such as `docker.io/library/busybox:latest`. */
  readonly name: string;
  /** Runtime labels (GC hints, CRI markers). */
  readonly labels: StringMap;
  /** The root descriptor: an index or a manifest. */
  readonly target: Descriptor;
  /** When the image was created (server time, or the requested source date epoch). */
  readonly createdAt: Nanos;
  /** When the image was last changed. */
  readonly updatedAt: Nanos;
}

/** The fields a client supplies; timestamps are always set by the store. */
export type ImageInput = Omit<Image, 'createdAt' | 'updatedAt'>;

/** Checks an image the way containerd does before storing it. */
export function validateImage(image: ImageInput): void {
  if (image.name === '') throw invalidArgument('image name must not be empty');
  try {
    validateLabels(image.labels);
  } catch (err) {
    throw invalidArgument(`image ${JSON.stringify(image.name)} labels: ${(err as Error).message}`);
  }
  const { target } = image;
  if (tryParseDigest(target.digest) === undefined) {
    throw invalidArgument(
      `image ${JSON.stringify(image.name)}: target digest ${JSON.stringify(target.digest)} is not a valid sha256/sha384/sha512 digest`,
    );
  }
  if (!(target.size > 0)) {
    throw invalidArgument(`image ${JSON.stringify(image.name)}: target size must be greater than zero`);
  }
  if (target.mediaType === '') throw invalidArgument(`image ${JSON.stringify(image.name)}: target media type must be set`);
}

/** Drops labels whose value is empty: setting a label to "" removes it, as in containerd. */
export function withoutEmptyValues(map: StringMap): StringMap {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) if (v !== '') out[k] = v;
  return out;
}
