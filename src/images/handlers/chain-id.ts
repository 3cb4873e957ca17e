/** OCI layer chain IDs: one identifier for a stack of layers. */
import { createHash } from 'node:crypto';

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;

/**
 * The chain ID of every prefix of `diffIds`: the first is the first diff ID, each next one is
 * `sha256(previous + " " + diffId)`. These are the snapshot keys of an unpacked image.
 */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) {
    const previous = out[out.length - 1];
    out.push(previous === undefined ? diffId : sha256(`${previous} ${diffId}`));
  }
  return out;
}

/** The chain ID of the whole stack `diffIds` (the empty string for no layers, as in containerd). */
export const chainId = (diffIds: readonly string[]): string => chainIds(diffIds).at(-1) ?? '';
