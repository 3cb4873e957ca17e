/**
 * The image records a CRI pull leaves, as containerd's CRI plugin writes them: the image ID
 * (`sha256:<config>`), `name:tag` when the reference has a tag, and `name@<target digest>`, each
 * labelled as managed by CRI (and pinned when the image is configured as pinned).
 */
import type { Descriptor } from '../content/index.js';
import { isKind } from '../errdefs/index.js';
import type { ImageStore } from '../metadata/index.js';
import { digested, formatReference, parseDockerRef } from '../reference/index.js';
import { PINNED_LABEL, PINNED_VALUE } from './image-sync.js';

/** Label marking an image record as created by CRI. */
export const MANAGED_LABEL = 'io.cri-containerd.image';

/** The references a pull of `ref` with root `target` and config `configDigest` records. */
export function pullReferences(ref: string, target: Descriptor, configDigest: string): string[] {
  const parsed = parseDockerRef(ref);
  const refs = [configDigest];
  if (parsed.tag !== undefined) refs.push(formatReference(parsed));
  refs.push(parsed.digest !== undefined ? formatReference(parsed) : formatReference(digested(parsed, target.digest)));
  return refs;
}

/** Creates or points `name` at `target` with the CRI labels, changing nothing if it already does. */
export async function createOrUpdateReference(
  images: ImageStore,
  namespace: string,
  name: string,
  target: Descriptor,
  pinned: boolean,
): Promise<void> {
  const labels: Record<string, string> = { [MANAGED_LABEL]: 'managed', ...(pinned ? { [PINNED_LABEL]: PINNED_VALUE } : {}) };
  try {
    await images.create(namespace, { name, labels, target });
    return;
  } catch (err) {
    if (!isKind(err, 'AlreadyExists')) throw err;
  }
  const current = images.get(namespace, name);
  const same = current.target.digest === target.digest && Object.entries(labels).every(([k, v]) => current.labels[k] === v);
  if (same) return;
  const paths = ['target', ...Object.keys(labels).map((k) => `labels.${k}`)];
  await images.update(namespace, { name, labels, target }, paths);
}
