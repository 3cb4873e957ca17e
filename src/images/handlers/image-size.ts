/** The compressed size of an image for one platform, as containerd's CRI reports it. */
import type { Descriptor, Provider } from '../../content/index.js';
import { notFound } from '../../errdefs/index.js';
import { comparePlatforms, defaultPlatformMatcher, type PlatformMatcher } from '../../platforms/index.js';
import { children } from './children.js';
import type { ImageDescriptor } from './descriptor.js';
import { isIndex } from './media-types.js';
import { referenceBudget } from './reference-budget.js';

/**
 * Sums the descriptor sizes of `target` and what it references, following only the first entry of
 * every index after sorting it by `matcher`'s preference (entries without a platform last) — the
 * accounting of containerd's `CalculateImageUsage` with a manifest limit of one and manifest usage:
 * the index blob, the chosen manifest, its config and its layers, each counted by the size its
 * parent declares. Layers and configs are never read, so missing ones still count; a missing index
 * or manifest is NotFound, as is an empty index. Repeated references are counted each time.
 */
export async function imageSize(
  provider: Provider,
  target: Descriptor,
  matcher: PlatformMatcher = defaultPlatformMatcher(),
): Promise<number> {
  const charge = referenceBudget();
  const byPreference = comparePlatforms(matcher);
  let total = 0;
  const go = async (desc: ImageDescriptor): Promise<void> => {
    let kids = await children(provider, desc);
    if (isIndex(desc.mediaType)) {
      if (kids.length === 0) throw notFound(`no match for platform ${matcher.description} in index ${desc.digest}: it lists no manifests`);
      kids = [...kids].sort((a, b) => byPreference(a.platform, b.platform)).slice(0, 1);
    }
    if (desc.size >= 0) total += desc.size;
    charge(kids.length, target.digest);
    for (const kid of kids) await go(kid);
  };
  charge(1, target.digest);
  await go(target);
  return total;
}
