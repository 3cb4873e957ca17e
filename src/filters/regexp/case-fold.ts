/**
 * Simple case folding, as Go's `(?i)` uses it: two code points match each other when Unicode's
 * simple case folding maps them to the same code point. JavaScript exposes that relation only
 * through `/…/iu` matching, so the equivalence classes ("orbits", e.g. k K U+212A) are computed
 * once, on first use, from the runtime's own case mappings and checked with `/…/iu`.
 */
import { type CodePointSet, normalize } from './char-set.js';

/** Go's folding never involves code points outside this range (`minFold`/`maxFold` upstream). */
const FOLD_LIMIT = 0x1ffff;

interface FoldTable {
  /** Each code point with a non-trivial orbit → its orbit, sorted, itself included. */
  readonly orbits: ReadonlyMap<number, readonly number[]>;
  /** The keys of `orbits`, sorted. */
  readonly folding: readonly number[];
}

let table: FoldTable | undefined;

const single = (s: string): number | undefined => {
  const cp = s.codePointAt(0);
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
};

function buildTable(): FoldTable {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  const join = (a: number, b: number): void => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (let cp = 0; cp <= FOLD_LIMIT; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const s = String.fromCodePoint(cp);
    const lower = s.toLowerCase();
    const upper = s.toUpperCase();
    if (lower === s && upper === s) continue;
    const matcher = new RegExp(`^\\u{${cp.toString(16)}}$`, 'iu');
    for (const candidate of [lower, upper, lower.toUpperCase(), upper.toLowerCase()]) {
      const other = single(candidate);
      if (other !== undefined && other !== cp && other <= FOLD_LIMIT && matcher.test(candidate)) join(cp, other);
    }
  }
  const groups = new Map<number, number[]>();
  for (const cp of parent.keys()) {
    const root = find(cp);
    const group = groups.get(root) ?? [];
    group.push(cp);
    groups.set(root, group);
  }
  const orbits = new Map<number, readonly number[]>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const sorted = Object.freeze([...group].sort((a, b) => a - b));
    for (const cp of sorted) orbits.set(cp, sorted);
  }
  return { orbits, folding: [...orbits.keys()].sort((a, b) => a - b) };
}

const foldTable = (): FoldTable => (table ??= buildTable());

/** The code points `cp` matches under `(?i)`, itself included, in ascending order. */
export function orbitOf(cp: number): readonly number[] {
  return foldTable().orbits.get(cp) ?? [cp];
}

/** Every code point whose orbit is not just itself, in ascending order. */
export function foldingCodePoints(): readonly number[] {
  return foldTable().folding;
}

/** `set` plus everything its members match under `(?i)` (Go's `appendFoldedClass`). */
export function foldSet(set: CodePointSet): CodePointSet {
  const { orbits, folding } = foldTable();
  const extra: number[] = [];
  for (let i = 0; i + 1 < set.length; i += 2) {
    const lo = set[i] ?? 0;
    const hi = set[i + 1] ?? 0;
    // First folding code point >= lo.
    let a = 0;
    let b = folding.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if ((folding[mid] ?? 0) < lo) a = mid + 1;
      else b = mid;
    }
    for (let k = a; k < folding.length && (folding[k] ?? 0) <= hi; k++) {
      for (const cp of orbits.get(folding[k] ?? 0) ?? []) extra.push(cp, cp);
    }
  }
  return extra.length === 0 ? set : normalize([...set, ...extra]);
}
