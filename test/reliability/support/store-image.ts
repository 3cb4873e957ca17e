/** Stores a built single-platform image through the Content API (with containerd's gc.ref labels) and names its target. */
import { childGcLabels } from '../../../src/images/handlers/index.js';
import type { Clients } from '../../support/content-io.js';
import { putBlob } from '../../support/content-io.js';
import type { BuiltImage } from '../../support/oci-fixture.js';

/** An image target as Images.Create takes it. */
export interface Target {
  /** Media type of the manifest. */
  readonly mediaType: string;
  /** Digest of the manifest. */
  readonly digest: string;
  /** Size of the manifest. */
  readonly size: bigint;
}

/** The target descriptor of `image` (its manifest). */
export const targetOf = (image: BuiltImage): Target => ({
  mediaType: image.manifest.descriptor.mediaType,
  digest: image.manifest.descriptor.digest,
  size: BigInt(image.manifest.descriptor.size),
});

/** Writes the layers, the config and then the labelled manifest of `image` into `namespace` (under `lease` when given). */
export async function storeImage(c: Clients, namespace: string, image: BuiltImage, lease?: string): Promise<Target> {
  const options = lease === undefined ? {} : { lease };
  for (const layer of image.layers) await putBlob(c, namespace, layer.bytes, options);
  await putBlob(c, namespace, image.config.bytes, options);
  const labels = childGcLabels([image.config.descriptor, ...image.layers.map((l) => l.descriptor)]);
  await putBlob(c, namespace, image.manifest.bytes, { ...options, labels });
  return targetOf(image);
}
