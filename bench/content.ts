/**
 * Content API side by side: the same Node client drives imaged and a private containerd 1.6.20
 * through Write (100 MiB ingest in 1 MiB WRITE messages, median of 3 fresh blobs), Read (100 MiB,
 * median of 3, sha256 checked after the clock stops) and List (10,000 blobs, raw bytes), and the
 * machine's limits (SHA-256, sequential write+fsync and read) are measured on the same filesystem.
 * Run with `npm run bench:content` (as root); prints markdown tables.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startImagedProcess } from '../test/support/imaged-process.js';
import { Cleanup } from './support/cleanup.js';
import { startContainerd } from './support/containerd.js';
import {
  LIST_BLOBS,
  LIST_RUNS,
  LOAD_CONCURRENCY,
  RUNS,
  SMALL_BLOB_BYTES,
  runContentPhases,
  type ContentFigures,
} from './support/content-phases.js';
import { measureLimits, type Limits } from './support/limits.js';
import { markdownTable, ms } from './support/stats.js';
import { formatMBps, median } from './support/throughput.js';

const HEADER = ['operation', 'containerd 1.6.20', 'imaged', 'imaged / containerd'];

/** Makes temp dirs named after `what`, each removed at cleanup (after the servers in it stopped). */
const tempDir = (cleanup: Cleanup) => async (what: string) => {
  const dir = await mkdtemp(join(tmpdir(), `imaged-bench-${what}-`));
  cleanup.defer(() => rm(dir, { recursive: true, force: true }));
  return dir;
};

/** Starts both servers and a probe dir, registering their teardown; runs the phases and the limits. */
async function collect(cleanup: Cleanup): Promise<{ containerd: ContentFigures; imaged: ContentFigures; limits: Limits }> {
  const dir = tempDir(cleanup);
  const probe = await dir('disk');
  const containerd = await startContainerd({ dir: await dir('containerd') });
  cleanup.defer(() => containerd.stop());
  const imaged = await startImagedProcess({ root: await dir('imaged') });
  cleanup.defer(() => imaged.stop());
  const containerdFigures = await runContentPhases(containerd.socket);
  const imagedFigures = await runContentPhases(imaged.socket);
  const limits = await measureLimits(probe, [containerd.dir, imaged.root]);
  return { containerd: containerdFigures, imaged: imagedFigures, limits };
}

/** The comparison table's rows. */
function comparisonRows(c: ContentFigures, i: ContentFigures): string[][] {
  const ratio = (cv: number, iv: number) => `${(iv / cv).toFixed(2)}×`;
  const rate = (what: string, cv: number, iv: number, unit: (v: number) => string) => [what, unit(cv), unit(iv), `${ratio(cv, iv)} (higher is better)`];
  const latency = (what: string, cv: number, iv: number) => [what, `${ms(cv)} ms`, `${ms(iv)} ms`, ratio(cv, iv)];
  const perSecond = (v: number) => `${v.toFixed(0)}/s`;
  return [
    rate(`Content.Write 100 MiB, 1 MiB messages (median of ${RUNS})`, median(c.write), median(i.write), formatMBps),
    rate(`Content.Read 100 MiB (median of ${RUNS})`, median(c.read), median(i.read), formatMBps),
    latency(`Content.List p50 (${LIST_BLOBS.toLocaleString('en')} blobs, ${LIST_RUNS} runs)`, c.list.p50, i.list.p50),
    latency(`Content.List p99 (${LIST_BLOBS.toLocaleString('en')} blobs, ${LIST_RUNS} runs)`, c.list.p99, i.list.p99),
    latency(`Content.Write ${SMALL_BLOB_BYTES} B blob p50 (${LOAD_CONCURRENCY} in flight)`, c.smallIngest.p50, i.smallIngest.p50),
    latency(`Content.Write ${SMALL_BLOB_BYTES} B blob p99 (${LOAD_CONCURRENCY} in flight)`, c.smallIngest.p99, i.smallIngest.p99),
    rate(`Content.Write ${SMALL_BLOB_BYTES} B blobs throughput`, c.smallIngest.opsPerSecond, i.smallIngest.opsPerSecond, perSecond),
  ];
}

/** The limits table's rows. */
function limitRows(limits: Limits): string[][] {
  const fs = limits.sameFilesystem ? 'same filesystem as both data dirs' : 'NOT the data dirs’ filesystem';
  return [
    ['SHA-256, node:crypto, 256 MiB in memory (median of 3)', formatMBps(limits.sha256)],
    [`sequential write 256 MiB (1 MiB writes) + fsync, ${fs}`, formatMBps(limits.writeFsync)],
    ['sequential read of that file (1 MiB reads; page cache warm, not the disk)', formatMBps(limits.readCached)],
  ];
}

/** Per-run figures, so a reader can judge the spread behind each median. */
function runDetails(c: ContentFigures, i: ContentFigures): string {
  const list = (xs: readonly number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  return [
    `Write runs (MB/s): containerd ${list(c.write)}; imaged ${list(i.write)}`,
    `Read runs (MB/s): containerd ${list(c.read)}; imaged ${list(i.read)}`,
  ].join('\n');
}

/** The 1-minute load average, for judging how busy the machine was. */
const load = (): string => (loadavg()[0] ?? Number.NaN).toFixed(2);

async function main(): Promise<void> {
  const loadBefore = load();
  const cleanup = new Cleanup();
  cleanup.exitOnSignals();
  let results;
  try {
    results = await collect(cleanup);
  } finally {
    await cleanup.run();
  }
  const { containerd: c, imaged: i, limits } = results;
  process.stdout.write(
    [
      markdownTable(HEADER, comparisonRows(c, i)),
      '',
      runDetails(c, i),
      '',
      markdownTable(['machine limit', 'MB/s'], limitRows(limits)),
      '',
      `Load average (1 min): ${loadBefore} at start, ${load()} at end, on ${availableParallelism()} CPUs.`,
      'MB = 10^6 bytes. Write: expected digest computed before the clock; includes each server’s fsync at commit. ' +
        'Read: sha256 verified after the clock stops (not timed). List: timed as raw response bytes, counts decoded and checked afterwards; ' +
        `p99 of ${LIST_RUNS} runs is the slowest run.`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
