/** Bounded concurrency for test workloads. */

/** Runs `work(i)` for i in [0, n) with at most `inFlight` at once; rejects with the first failure (other workers stop at their next failure). */
export async function inParallel(n: number, inFlight: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, n) }, async () => {
      while (next < n) await work(next++);
    }),
  );
}
