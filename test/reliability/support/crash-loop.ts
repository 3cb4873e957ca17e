/**
 * The SIGKILL loop the crash suites share: start a workload, kill the daemon at a seeded moment,
 * restart it on the same root, check every store invariant, then let the workload prove the
 * recovered daemon finishes the job. Counts faults injected and invariant checks passed.
 */
import { clientsFor } from '../../support/clients.js';
import type { Clients } from '../../support/content-io.js';
import { startImaged } from '../../support/daemon.js';
import type { ImagedProcess } from '../../support/imaged-process.js';
import type { Random } from '../../support/seeded.js';
import { checkStore, type StoreReport } from '../../support/store-invariants.js';

/** A daemon and its clients for one round. */
export interface Live {
  /** The daemon. */
  readonly daemon: ImagedProcess;
  /** Clients on its socket. */
  readonly c: Clients;
}

/** One kind of crash scenario. */
export interface Scenario {
  /** Label for messages. */
  readonly name: string;
  /** Rounds to run (one kill each). */
  readonly rounds: number;
  /** Longest delay, in ms, between starting the workload and the kill (the delay is drawn from the seed). */
  readonly maxKillDelayMs: number;
  /** Extra daemon arguments. */
  readonly args?: readonly string[];
  /** Namespaces to check (default: all the daemon lists). */
  readonly namespaces?: readonly string[];
  /** Prepares round `round` before the kill timer starts (not interrupted). */
  prepare?(live: Live, round: number): Promise<void>;
  /** The work interrupted by the kill; its failures after the kill are expected and ignored. */
  work(live: Live, round: number): Promise<void>;
  /** After the restart and the invariant check: must succeed (resume, repeat, check outcomes). */
  recover(live: Live, round: number, report: StoreReport): Promise<void>;
}

/** Running totals across scenarios. */
export interface CrashTotals {
  /** SIGKILLs sent during a workload. */
  faults: number;
  /** Of those, how many landed before the workload had finished. */
  midWork: number;
  /** Invariant checks (individual facts) that passed. */
  checks: number;
}

const startLive = async (root: string | undefined, args: readonly string[] | undefined): Promise<Live> => {
  const daemon = await startImaged({ ...(root === undefined ? {} : { root }), ...(args === undefined ? {} : { args }) });
  return { daemon, c: clientsFor(daemon.socket) };
};

/** Runs `scenario` on a fresh root with seeded kill moments; adds to `totals`; throws on the first broken invariant. */
export async function runCrashScenario(scenario: Scenario, r: Random, totals: CrashTotals): Promise<void> {
  let live = await startLive(undefined, scenario.args);
  const root = live.daemon.root;
  try {
    for (let round = 0; round < scenario.rounds; round++) {
      await scenario.prepare?.(live, round);
      const delay = r.int(scenario.maxKillDelayMs + 1);
      let finished = false;
      const work = scenario.work(live, round).then(
        () => (finished = true),
        () => undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      await live.daemon.kill();
      await work;
      if (!finished) totals.midWork++;
      live.c.close();
      totals.faults++;
      live = await startLive(root, scenario.args);
      const report = await checkStore(live.c, root, scenario.namespaces);
      if (report.problems.length > 0) {
        throw new Error(`${scenario.name}, round ${round} (killed after ${delay} ms):\n${report.problems.join('\n')}`);
      }
      totals.checks += report.checks;
      await scenario.recover(live, round, report);
    }
  } finally {
    live.c.close();
    await live.daemon.stop();
  }
}
