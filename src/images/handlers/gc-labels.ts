/**
 * The garbage-collection labels containerd puts on a parent blob so that its children stay alive:
 * `containerd.io/gc.ref.content.<kind><n>` pointing at each child's digest.
 */
import type { Descriptor, StringMap } from '../../content/index.js';
import { isKnownConfig, isLayer, isManifest } from './media-types.js';

/** Prefix of every content reference label. */
export const GC_REF_CONTENT = 'containerd.io/gc.ref.content.';

/** Annotation marking a descriptor as a referrer of the manifest named in its value. */
export const ANNOTATION_MANIFEST_SUBJECT = 'io.containerd.manifest.subject';

/**
 * The label key stem(s) for one child, by kind: `…content.m.` for a manifest, `…content.config`
 * for a config, `…content.l.` for a layer, `…content.referrer.sha256.` for a referrer, and
 * `…content.` for anything else (nested indexes, unknown blobs).
 */
export function childGcLabelKeys(child: Descriptor): string[] {
  if (Object.prototype.hasOwnProperty.call(child.annotations, ANNOTATION_MANIFEST_SUBJECT)) {
    return [`${GC_REF_CONTENT}referrer.sha256.`];
  }
  if (isKnownConfig(child.mediaType)) return [`${GC_REF_CONTENT}config`];
  if (isManifest(child.mediaType)) return [`${GC_REF_CONTENT}m.`];
  if (isLayer(child.mediaType)) return [`${GC_REF_CONTENT}l.`];
  return [GC_REF_CONTENT];
}

/** Like {@link childGcLabelKeys} but gives layers no label (for snapshotters that keep no layer blobs). */
export const childGcLabelKeysWithoutLayers = (child: Descriptor): string[] =>
  isLayer(child.mediaType) ? [] : childGcLabelKeys(child);

/**
 * The labels a parent gets for `children` (in document order). Each stem is numbered by its own
 * counter: stems ending in `.` always get the number (`m.0`, `m.1`, `l.0`), others only from the
 * second use on (`config`, `config1`); referrer stems get the first 12 hex digits of the digest.
 */
export function childGcLabels(
  children: readonly Descriptor[],
  keysOf: (child: Descriptor) => readonly string[] = childGcLabelKeys,
): StringMap {
  const counters = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const child of children) {
    for (const stem of keysOf(child)) {
      const n = counters.get(stem) ?? 0;
      counters.set(stem, n + 1);
      let key = stem;
      if (stem.endsWith('.sha256.')) key = stem + child.digest.slice(child.digest.indexOf(':') + 1).slice(0, 12);
      else if (n > 0 || stem.endsWith('.')) key = `${stem}${n}`;
      labels.set(key, child.digest);
    }
  }
  return Object.fromEntries(labels);
}
