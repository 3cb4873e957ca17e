/** Picking the manifest an image means for a platform. */
import type { Descriptor, Provider } from '../../content/index.js';
import { notFound } from '../../errdefs/index.js';
import {
  comparePlatforms,
  defaultPlatformMatcher,
  formatPlatform,
  type PlatformMatcher,
} from '../../platforms/index.js';
import type { ImageDescriptor } from './descriptor.js';
import { isIndex, isManifest } from './media-types.js';
import type { ImageIndex } from './parse-index.js';
import type { ImageManifest } from './parse-manifest.js';
import { readConfigPlatform, readIndex, readManifest } from './read-document.js';
import { referenceBudget } from './reference-budget.js';

/** A manifest chosen for a platform, with the descriptor it was reached through. */
export interface ResolvedManifest {
  /** The manifest's descriptor (an index entry, with its platform, or the image target itself). */
  readonly descriptor: ImageDescriptor;
  /** The parsed manifest. */
  readonly manifest: ImageManifest;
}

/** The platforms an index offers directly, for the "no match" message. */
function offered(index: ImageIndex | undefined): string {
  const names = new Set<string>();
  for (const m of index?.manifests ?? []) {
    const p = m.platform;
    if (p !== undefined && p.os !== 'unknown' && p.architecture !== 'unknown') names.add(formatPlatform(p));
  }
  return names.size === 0 ? 'it lists no platform-specific manifests' : `it has ${[...names].join(', ')}`;
}

/**
 * Resolves `target` to one manifest. A manifest target is returned as is. For an index, entries
 * whose platform `matcher` rejects are dropped, the rest are tried in preference order (entries
 * without a platform last, judged by the platform in their config), descending into nested
 * indexes. Throws NotFound naming the wanted and the offered platforms when nothing matches, or
 * when `target` is neither an index nor a manifest.
 */
export async function resolveManifest(
  provider: Provider,
  target: Descriptor,
  matcher: PlatformMatcher = defaultPlatformMatcher(),
): Promise<ResolvedManifest> {
  const charge = referenceBudget();
  charge(1, target.digest);
  let rootIndex: ImageIndex | undefined;

  const visit = async (desc: ImageDescriptor, isRoot: boolean): Promise<ResolvedManifest | undefined> => {
    if (isManifest(desc.mediaType)) {
      const manifest = await readManifest(provider, desc);
      if (!isRoot) {
        const platform = desc.platform ?? (await readConfigPlatform(provider, manifest.config));
        if (!matcher.match(platform)) return undefined;
      }
      return { descriptor: desc, manifest };
    }
    if (!isIndex(desc.mediaType)) return undefined;
    const index = await readIndex(provider, desc);
    if (isRoot) rootIndex = index;
    charge(index.manifests.length, target.digest);
    const byPreference = comparePlatforms(matcher);
    const candidates = index.manifests
      .filter((m) => m.platform === undefined || matcher.match(m.platform))
      .sort((a, b) => byPreference(a.platform, b.platform));
    for (const candidate of candidates) {
      const found = await visit(candidate, false);
      if (found !== undefined) return found;
    }
    return undefined;
  };

  if (!isIndex(target.mediaType) && !isManifest(target.mediaType)) {
    throw notFound(
      `image target ${target.digest} has media type ${JSON.stringify(target.mediaType)}, which is neither an image index nor a manifest`,
    );
  }
  const found = await visit(target, true);
  if (found === undefined) {
    throw notFound(`no match for platform ${matcher.description} in index ${target.digest}: ${offered(rootIndex)}`);
  }
  return found;
}
