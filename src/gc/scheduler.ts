/**
 * When collections run, as containerd schedules them: after a batch of deletions (the mutation
 * threshold), periodically while anything was deleted since the last run, once shortly after start,
 * and on demand for synchronous deletes. At most one runs at a time and at most one more waits.
 */
import type { GcResult } from './collector.js';

/** Triggers collections. */
export interface GcScheduler {
  /** Notes a deletion; the threshold-th deletion since the last collection triggers one. */
  markDirty(): void;
  /** Runs a collection that starts after this call and resolves with its result. */
  collectNow(): Promise<GcResult>;
  /** Stops timers and waits for a running collection. */
  close(): Promise<void>;
}

/** Timing of scheduled collections. */
export interface GcSchedule {
  /** Deletions since the last collection that trigger the next one. */
  readonly mutationThreshold: number;
  /** Delay between reaching the threshold and the collection. */
  readonly delayMs: number;
  /** Delay between start and the first collection (kept off the first requests' path). */
  readonly startupDelayMs: number;
  /** Period of background collections when anything was deleted (0 = none). */
  readonly intervalMs: number;
  /** Hears about each result or failure of a background collection. */
  readonly report: (result: GcResult | Error) => void;
}

/** Creates a scheduler around `collect`; the first collection runs `startupDelayMs` after creation. */
export function createGcScheduler(collect: () => Promise<GcResult>, schedule: GcSchedule): GcScheduler {
  let running: Promise<GcResult> | undefined;
  let queued: Promise<GcResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let deletions = 0;
  let closed = false;

  const start = (): Promise<GcResult> => {
    deletions = 0;
    const run = collect().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  const collectNow = (): Promise<GcResult> => {
    if (queued !== undefined) return queued;
    if (running === undefined) return start();
    const next = running.catch(() => undefined).then(() => {
      queued = undefined;
      return start();
    });
    queued = next;
    return next;
  };
  const background = () => {
    if (closed) return;
    collectNow().then(schedule.report, (err: unknown) => schedule.report(err instanceof Error ? err : new Error(String(err))));
  };
  const trigger = (delayMs = schedule.delayMs) => {
    if (closed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      background();
    }, delayMs);
  };
  const interval =
    schedule.intervalMs > 0 ? setInterval(() => deletions > 0 && background(), schedule.intervalMs).unref() : undefined;
  trigger(schedule.startupDelayMs);

  return {
    markDirty() {
      deletions++;
      if (deletions >= schedule.mutationThreshold) trigger();
    },
    collectNow,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      if (interval !== undefined) clearInterval(interval);
      await Promise.allSettled([running, queued]);
    },
  };
}
