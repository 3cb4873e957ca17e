/**
 * Sets of code points as sorted, disjoint, non-adjacent inclusive ranges, stored flat:
 * `[lo0, hi0, lo1, hi1, …]`.
 */

/** A normalized set of code points; build one with {@link normalize} or the helpers below. */
export type CodePointSet = readonly number[];

/** The largest code point. */
export const MAX_CODE_POINT = 0x10ffff;

/** The empty set. */
export const EMPTY: CodePointSet = Object.freeze([]);

/** Every code point. */
export const ALL: CodePointSet = Object.freeze([0, MAX_CODE_POINT]);

/** Sorts and merges arbitrary `[lo, hi]` pairs (each with lo <= hi) into a normalized set. */
export function normalize(pairs: readonly number[]): CodePointSet {
  const ranges: [number, number][] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) ranges.push([pairs[i] ?? 0, pairs[i + 1] ?? 0]);
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: number[] = [];
  for (const [lo, hi] of ranges) {
    const last = out.length - 1;
    if (last > 0 && lo <= (out[last] ?? 0) + 1) {
      if (hi > (out[last] ?? 0)) out[last] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** The union of several sets. */
export const union = (...sets: readonly CodePointSet[]): CodePointSet => normalize(sets.flat());

/** The code points not in `set`. */
export function complement(set: CodePointSet): CodePointSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i + 1 < set.length; i += 2) {
    const lo = set[i] ?? 0;
    if (lo > next) out.push(next, lo - 1);
    next = (set[i + 1] ?? 0) + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

/** Whether `set` holds exactly one code point. */
export const isSingle = (set: CodePointSet): boolean => set.length === 2 && set[0] === set[1];

/** Writes code point ranges as the inside of a `v`-mode class. */
export function rangesSource(set: CodePointSet): string {
  let out = '';
  for (let i = 0; i + 1 < set.length; i += 2) {
    const lo = set[i] ?? 0;
    const hi = set[i + 1] ?? 0;
    out += lo === hi ? `\\u{${lo.toString(16)}}` : `\\u{${lo.toString(16)}}-\\u{${hi.toString(16)}}`;
  }
  return out;
}
