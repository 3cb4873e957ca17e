/**
 * Ordering an image's references from most to least informative, as containerd does.
 */
import { formatReference } from './format.js';
import { analyzeAnyReference } from './normalize.js';

/** A parsed reference with its precedence (lower first) and normalized text. */
interface Ranked {
  readonly rank: number;
  readonly text: string;
}

/**
 * Sorts `refs`: name+tag+digest, name+tag, name+digest, name, digest (IDs included), each group
 * by text, then the unparseable strings by text. Parsed references come back normalized.
 */
export function sortReferences(refs: Iterable<string>): string[] {
  const ranked: Ranked[] = [];
  const unparseable: string[] = [];
  for (const s of refs) {
    const outcome = analyzeAnyReference(s);
    if (!outcome.ok) {
      unparseable.push(s);
    } else if (typeof outcome.value === 'string') {
      ranked.push({ rank: 5, text: outcome.value });
    } else {
      const ref = outcome.value;
      const rank = ref.tag !== undefined ? (ref.digest !== undefined ? 1 : 2) : ref.digest !== undefined ? 3 : 4;
      ranked.push({ rank, text: formatReference(ref) });
    }
  }
  ranked.sort((a, b) => a.rank - b.rank || compareCodePoints(a.text, b.text));
  unparseable.sort(compareCodePoints);
  return [...ranked.map((r) => r.text), ...unparseable];
}

/** Compares strings by Unicode code point, which is the byte order of their UTF-8 encodings. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
