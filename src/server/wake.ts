/** Waiting for either a wake-up call or cancellation, without leaking listeners. */

/**
 * Resolves when any of `signals` aborts or when the function handed to `arm` is called,
 * whichever comes first; listeners are removed either way.
 */
export function wakeOrAbort(signals: readonly AbortSignal[], arm: (wake: () => void) => void = () => {}): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    };
    if (signals.some((s) => s.aborted)) return resolve();
    arm(done);
    for (const s of signals) s.addEventListener('abort', done, { once: true });
  });
}
