/**
 * What CRI reports about an image that only its content can tell (config digest as the ID, chain
 * ID, compressed size for this platform, user, the OCI config). It depends only on the image's
 * target digest, so it is computed once per target and kept.
 */
import type { Descriptor, Provider } from '../content/index.js';
import { chainId, imageConfig, imageSize, MAX_CONFIG_BYTES, userOf, type ImageUser } from '../images/handlers/index.js';
import type { MetadataDb, Table } from '../metadata/index.js';
import type { PlatformMatcher } from '../platforms/index.js';

/** The namespace persisted facts are kept under (they belong to content, not to a namespace). */
export const FACTS_NAMESPACE = '';

/** The table of persisted facts, keyed by target digest in {@link FACTS_NAMESPACE}. */
export const factsTable = (db: MetadataDb): Table<ImageFacts> => db.table<ImageFacts>('cri-facts');

/** Facts about one image target. */
export interface ImageFacts {
  /** The image ID: the digest of its config. */
  readonly id: string;
  /** OCI chain ID of its layers. */
  readonly chainId: string;
  /** Compressed size for the selected platform (index + manifest + config + layers). */
  readonly size: number;
  /** The config's user as CRI reports it. */
  readonly user: ImageUser;
  /** The OCI image config as stored, for verbose ImageStatus. */
  readonly configJson: string;
}

/** Reads the facts of `target` through `provider`, selecting the manifest with `matcher`. */
export async function readImageFacts(provider: Provider, target: Descriptor, matcher: PlatformMatcher): Promise<ImageFacts> {
  const { descriptor, config } = await imageConfig(provider, target, matcher);
  const size = await imageSize(provider, target, matcher);
  const configJson = Buffer.from(await provider.readBlob(descriptor, MAX_CONFIG_BYTES)).toString('utf8');
  return { id: descriptor.digest, chainId: chainId(config.rootfs.diff_ids), size, user: userOf(config), configJson };
}
