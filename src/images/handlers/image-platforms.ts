/** The platforms an image provides. */
import type { Descriptor, Provider } from '../../content/index.js';
import type { Platform } from '../../platforms/index.js';
import { children } from './children.js';
import type { ImageDescriptor } from './descriptor.js';
import { isConfig } from './media-types.js';
import { readConfigPlatform } from './read-document.js';
import { referenceBudget } from './reference-budget.js';

/**
 * Lists the platforms of an image the way containerd does: the platform of every index entry that
 * has one (as written, in index order, duplicates kept, `unknown` OS or architecture skipped, such
 * as buildx attestations), and for a manifest without one the normalized platform of its config.
 */
export async function imagePlatforms(provider: Provider, target: Descriptor): Promise<Platform[]> {
  const out: Platform[] = [];
  const charge = referenceBudget();
  const go = async (descs: readonly ImageDescriptor[]): Promise<void> => {
    charge(descs.length, target.digest);
    for (const desc of descs) {
      const p = desc.platform;
      if (p !== undefined) {
        if (p.os !== 'unknown' && p.architecture !== 'unknown') out.push(p);
        continue;
      }
      if (isConfig(desc.mediaType)) {
        out.push(await readConfigPlatform(provider, desc));
        continue;
      }
      await go(await children(provider, desc));
    }
  };
  await go([target]);
  return out;
}
