/** What a pull accepts from a manifest, checked before any config or layer is downloaded. */
import type { Descriptor } from '../content/index.js';
import { ImagedError } from '../errdefs/index.js';
import { MAX_CONFIG_BYTES, MAX_LAYERS } from '../images/handlers/index.js';

/** The parts of a parsed manifest the limits look at. */
export interface ManifestParts {
  /** The configuration descriptor. */
  readonly config: Descriptor;
  /** The layer descriptors. */
  readonly layers: readonly Descriptor[];
}

/**
 * Throws ResourceExhausted when the manifest `digest` of `name` has more than {@link MAX_LAYERS}
 * layers or a config larger than {@link MAX_CONFIG_BYTES} (which imaged could not read back).
 */
export function checkManifestLimits(name: string, digest: string, manifest: ManifestParts): void {
  if (manifest.layers.length > MAX_LAYERS) {
    throw new ImagedError('ResourceExhausted', `image ${name} (manifest ${digest}) has ${manifest.layers.length} layers, more than the ${MAX_LAYERS} imaged pulls`);
  }
  if (manifest.config.size > MAX_CONFIG_BYTES) {
    throw new ImagedError(
      'ResourceExhausted',
      `image ${name} (manifest ${digest}) has a config ${manifest.config.digest} of ${manifest.config.size} bytes, more than the ${MAX_CONFIG_BYTES} imaged accepts`,
    );
  }
}
