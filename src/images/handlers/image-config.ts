/** An image's configuration and root filesystem identity for a platform. */
import type { Descriptor, Provider } from '../../content/index.js';
import { failedPrecondition } from '../../errdefs/index.js';
import { defaultPlatformMatcher, type PlatformMatcher } from '../../platforms/index.js';
import type { ImageDescriptor } from './descriptor.js';
import { isConfig } from './media-types.js';
import type { ImageConfig } from './parse-config.js';
import { readConfig } from './read-document.js';
import { resolveManifest, type ResolvedManifest } from './resolve-manifest.js';

/** The configuration of the manifest chosen for a platform. */
export interface ResolvedConfig {
  /** The config descriptor (its digest is the image ID CRI reports). */
  readonly descriptor: ImageDescriptor;
  /** The parsed configuration. */
  readonly config: ImageConfig;
  /** The manifest it came from. */
  readonly manifest: ResolvedManifest;
}

/**
 * Resolves the manifest for `matcher` (see {@link resolveManifest}) and reads its configuration.
 * FailedPrecondition when the manifest's config is not an image configuration (an artifact).
 */
export async function imageConfig(
  provider: Provider,
  target: Descriptor,
  matcher: PlatformMatcher = defaultPlatformMatcher(),
): Promise<ResolvedConfig> {
  const manifest = await resolveManifest(provider, target, matcher);
  const descriptor = manifest.manifest.config;
  if (!isConfig(descriptor.mediaType)) {
    throw failedPrecondition(
      `manifest ${manifest.descriptor.digest} is not a container image: its config has media type ` +
        `${JSON.stringify(descriptor.mediaType)} instead of an OCI or Docker image config`,
    );
  }
  return { descriptor, config: await readConfig(provider, descriptor), manifest };
}

/** The uncompressed layer digests (`rootfs.diff_ids`) of the image for `matcher`, base first. */
export async function diffIds(
  provider: Provider,
  target: Descriptor,
  matcher: PlatformMatcher = defaultPlatformMatcher(),
): Promise<readonly string[]> {
  return (await imageConfig(provider, target, matcher)).config.rootfs.diff_ids;
}
