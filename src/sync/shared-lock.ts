/**
 * A shared/exclusive lock: many shared holders at once (writes committing content), or one
 * exclusive holder (garbage collection), never both.
 */

/** Holds shared or exclusive access. */
export class SharedExclusiveLock {
  private shared = 0;
  private exclusive = false;
  private readonly waiting: { exclusive: boolean; grant: () => void }[] = [];

  /** Runs `work` holding shared access. */
  async withShared<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire(false);
    try {
      return await work();
    } finally {
      this.shared--;
      this.wake();
    }
  }

  /** Runs `work` holding exclusive access. */
  async withExclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire(true);
    try {
      return await work();
    } finally {
      this.exclusive = false;
      this.wake();
    }
  }

  private acquire(exclusive: boolean): Promise<void> {
    if (this.waiting.length === 0 && this.grantable(exclusive)) {
      this.take(exclusive);
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiting.push({ exclusive, grant }));
  }

  private grantable(exclusive: boolean): boolean {
    return !this.exclusive && (!exclusive || this.shared === 0);
  }

  private take(exclusive: boolean): void {
    if (exclusive) this.exclusive = true;
    else this.shared++;
  }

  /** Grants waiters in arrival order while they fit (an exclusive waiter blocks later shared ones). */
  private wake(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      if (!this.grantable(next.exclusive)) return;
      this.waiting.shift();
      this.take(next.exclusive);
      next.grant();
    }
  }
}
