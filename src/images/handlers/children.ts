/** The direct children of an image document. */
import type { Descriptor, Provider } from '../../content/index.js';
import type { ImageDescriptor } from './descriptor.js';
import { isIndex, isManifest } from './media-types.js';
import { readIndex, readManifest } from './read-document.js';

/**
 * The blobs `desc` refers to: an index's manifests (with their platforms), a manifest's config
 * followed by its layers, nothing for any other media type (layers, configs, unknown blobs are not
 * read). Throws NotFound if the index or manifest blob is missing.
 */
export async function children(provider: Provider, desc: Descriptor): Promise<readonly ImageDescriptor[]> {
  if (isManifest(desc.mediaType)) {
    const manifest = await readManifest(provider, desc);
    return [manifest.config, ...manifest.layers];
  }
  if (isIndex(desc.mediaType)) return (await readIndex(provider, desc)).manifests;
  return [];
}
