/** In-process locks on ingest refs: one writer per ref at a time. */
import { unavailable } from '../../errdefs/index.js';

/** Who holds a ref and since when. */
interface Holder {
  readonly since: Date;
}

/** A set of locked refs. */
export class RefLocks {
  private readonly held = new Map<string, Holder>();

  /** Locks `ref`; Unavailable naming the ref and since when when someone else holds it. */
  acquire(ref: string): () => void {
    const holder = this.held.get(ref);
    if (holder !== undefined) {
      throw unavailable(`ref ${ref} locked for writing since ${holder.since.toISOString()}: another writer is active, retry when it finishes`);
    }
    const mine = { since: new Date() };
    this.held.set(ref, mine);
    return () => {
      if (this.held.get(ref) === mine) this.held.delete(ref);
    };
  }

  /** Reports whether `ref` is locked. */
  isLocked(ref: string): boolean {
    return this.held.has(ref);
  }
}
