/** Letting pending I/O (incoming calls, flow-control updates) run in the middle of long work. */

/** Resolves after the event loop has had a turn to handle I/O. */
export const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Items between two looks at the clock (reading it costs more than a small item). */
const CLOCK_EVERY = 16;

/**
 * Cuts a long loop into slices of about `ms` milliseconds: check {@link TimeSlice.over} per item
 * and `await next()` when it is, so calls arriving meanwhile wait about one slice. Background work
 * keeps slices short: a large response leaves the server one flow-control window per loop turn.
 */
export class TimeSlice {
  private ends: number;
  private items = 0;

  /** Starts the first slice. */
  constructor(private readonly ms = 1) {
    this.ends = performance.now() + ms;
  }

  /** Whether the current slice has used up its time (the clock is read every few items). */
  get over(): boolean {
    return ++this.items % CLOCK_EVERY === 0 && performance.now() >= this.ends;
  }

  /** Yields to I/O, then starts the next slice. */
  async next(): Promise<void> {
    await yieldToIo();
    this.ends = performance.now() + this.ms;
  }
}
