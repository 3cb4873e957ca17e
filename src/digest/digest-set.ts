/**
 * A set of digests that resolves unique prefixes (truncated image IDs), as CRI clients use them:
 * `sha256:3f4e`, `3f4e`, or a full digest.
 */
import { failedPrecondition, invalidArgument, notFound } from '../errdefs/index.js';

const HEX_PREFIX = /^[a-f0-9]+$/;

/** Above this many pending additions, merging sorts everything once instead of inserting each. */
const MERGE_BY_SORT = 32;

/**
 * Digests in sorted order, searchable by prefix. Additions are collected and merged at the next
 * read, so filling a set of n digests costs one sort rather than n insertions.
 */
export class DigestSet {
  private sorted: string[] = [];
  private added: string[] = [];

  /** Adds `digest` (a full `algorithm:hex` digest); adding twice is harmless. */
  add(digest: string): void {
    this.added.push(digest);
  }

  /** Removes `digest` if present. */
  remove(digest: string): void {
    this.merge();
    const at = this.lowerBound(digest);
    if (this.sorted[at] === digest) this.sorted.splice(at, 1);
  }

  /** How many digests the set holds. */
  get size(): number {
    this.merge();
    return this.sorted.length;
  }

  /**
   * The one digest starting with `prefix` (`sha256:<hex…>` or `<hex…>`, assumed sha256).
   * NotFound when none matches, FailedPrecondition naming the count when several do, and
   * InvalidArgument when the prefix is not hex.
   */
  lookup(prefix: string): string {
    const colon = prefix.indexOf(':');
    const algorithm = colon < 0 ? 'sha256' : prefix.slice(0, colon);
    const hex = colon < 0 ? prefix : prefix.slice(colon + 1);
    if (hex === '' || !HEX_PREFIX.test(hex)) throw invalidArgument(`${JSON.stringify(prefix)} is not an image ID or a prefix of one`);
    const wanted = `${algorithm}:${hex}`;
    this.merge();
    const at = this.lowerBound(wanted);
    const matches: string[] = [];
    for (let i = at; i < this.sorted.length && this.sorted[i]!.startsWith(wanted) && matches.length < 2; i++) matches.push(this.sorted[i]!);
    if (matches.length === 0) throw notFound(`no image ID starts with ${JSON.stringify(prefix)}`);
    if (matches[0] === wanted) return wanted;
    if (matches.length > 1) throw failedPrecondition(`image ID prefix ${JSON.stringify(prefix)} is ambiguous: more than one image matches; give more characters`);
    return matches[0]!;
  }

  private merge(): void {
    if (this.added.length === 0) return;
    if (this.added.length > MERGE_BY_SORT) {
      this.sorted = [...new Set([...this.sorted, ...this.added])].sort();
    } else {
      for (const digest of this.added) {
        const at = this.lowerBound(digest);
        if (this.sorted[at] !== digest) this.sorted.splice(at, 0, digest);
      }
    }
    this.added = [];
  }

  private lowerBound(value: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
