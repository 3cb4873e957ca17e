/** Throughput arithmetic and timing for the benchmarks that move bytes. */

/** One mebibyte. */
export const MiB = 1 << 20;

/** MB/s (10^6 bytes per second) for `bytes` moved in `ms` milliseconds. */
export const mbPerSecond = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);

/** Median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `op`; resolves with its wall-clock duration in milliseconds and its result. */
export async function timed<T>(op: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await op();
  return { ms: performance.now() - start, value };
}

/** Formats MB/s for a table. */
export const formatMBps = (v: number): string => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} MB/s`;
