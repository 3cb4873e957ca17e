/** Cleanup actions for a benchmark run: servers stopped and temp dirs removed, even on error or Ctrl-C. */

/** A stack of cleanup actions, run last-registered first, each at most once. */
export class Cleanup {
  private readonly actions: (() => Promise<unknown>)[] = [];
  private running: Promise<void> | undefined;

  /** Registers `action` to run at cleanup (before everything registered earlier). */
  defer(action: () => Promise<unknown>): void {
    this.actions.push(action);
  }

  /**
   * Runs every pending action, also those deferred while it runs; a failing action is reported and
   * does not stop the rest. Concurrent calls (a signal during the normal teardown) share one run.
   */
  run(): Promise<void> {
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Runs the cleanup, then exits, on SIGINT or SIGTERM. */
  exitOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void this.run().finally(() => process.exit(130)));
    }
  }

  private async drain(): Promise<void> {
    for (let action = this.actions.pop(); action !== undefined; action = this.actions.pop()) {
      try {
        await action();
      } catch (err) {
        process.stderr.write(`cleanup: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  }
}
