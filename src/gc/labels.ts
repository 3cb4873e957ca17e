/** The labels containerd's garbage collector reads. */

/** Content with this label (any non-empty value) is a root. */
export const LABEL_GC_ROOT = 'containerd.io/gc.root';
/** A label whose value is a digest the labelled object references; also the prefix of named references. */
export const LABEL_GC_REF_CONTENT = 'containerd.io/gc.ref.content';
/** RFC 3339 time after which a lease or image stops protecting anything. */
export const LABEL_GC_EXPIRE = 'containerd.io/gc.expire';
/** On a lease: its resources are kept, but their label references are not followed. */
export const LABEL_GC_FLAT = 'containerd.io/gc.flat';

/** Digests referenced by `labels` (`containerd.io/gc.ref.content` and `containerd.io/gc.ref.content.*`). */
export function contentReferences(labels: Readonly<Record<string, string>>): string[] {
  const refs: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    if (key === LABEL_GC_REF_CONTENT || key.startsWith(`${LABEL_GC_REF_CONTENT}.`)) refs.push(value);
  }
  return refs;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether `labels` carry a gc.expire time at or before `nowMs` (a time that is not RFC 3339 never expires). */
export function isExpired(labels: Readonly<Record<string, string>>, nowMs: number): boolean {
  const expire = labels[LABEL_GC_EXPIRE];
  if (expire === undefined || !RFC3339.test(expire)) return false;
  const at = Date.parse(expire);
  return Number.isFinite(at) && at <= nowMs;
}
