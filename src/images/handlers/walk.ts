/** Depth-first traversal of everything an image refers to. */
import type { Descriptor, Provider } from '../../content/index.js';
import { children } from './children.js';
import type { ImageDescriptor } from './descriptor.js';
import { referenceBudget } from './reference-budget.js';

/** Called once per distinct digest; return `'skip'` to leave that blob's children unvisited. */
export type WalkVisitor = (
  desc: ImageDescriptor,
  parent: ImageDescriptor | undefined,
) => void | 'skip' | Promise<void | 'skip'>;

/**
 * Visits `target` and everything below it depth-first, parents before children, children in
 * document order, each digest once. Stops with ResourceExhausted after 10,000 references.
 */
export async function walkImage(provider: Provider, target: Descriptor, visit: WalkVisitor): Promise<void> {
  const seen = new Set<string>();
  const charge = referenceBudget();
  const go = async (desc: ImageDescriptor, parent: ImageDescriptor | undefined): Promise<void> => {
    if (seen.has(desc.digest)) return;
    seen.add(desc.digest);
    if ((await visit(desc, parent)) === 'skip') return;
    const kids = await children(provider, desc);
    charge(kids.length, target.digest);
    for (const kid of kids) await go(kid, desc);
  };
  charge(1, target.digest);
  await go(target, undefined);
}
