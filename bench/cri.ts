/**
 * CRI ImageService side by side: the same Node CRI client against containerd 1.6's CRI plugin and
 * against imaged. N images (100, 1,000, 10,000, cumulative) are loaded into namespace `k8s.io` of
 * both servers through the containerd API (Content.Write + Images.Create), then ListImages (raw
 * bytes) and ImageStatus (decoded, by full reference) are timed, plus restart-to-first-full
 * ListImages with 10,000 images, and a cold PullImage of a 100 MiB single-layer image from a local
 * registry (containerd's CRI also unpacks it into its snapshotter). Run with `npm run bench:cri`; prints one markdown table.
 */
import { rmSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { createServiceClient } from '../src/client/index.js';
import { ImageService, ListImagesRequestSchema, ListImagesResponseSchema } from '../gen/runtime/v1/api_pb.js';
import { rawUnary } from './support/raw-call.js';
import { startContainerd } from './support/containerd.js';
import { Cleanup } from './support/cleanup.js';
import { ImageLoader, K8S_NAMESPACE, benchImageName } from './support/cri-images.js';
import { coldPull } from './support/cri-pull.js';
import { startImagedProcess } from '../test/support/imaged-process.js';
import { markdownTable, measure, ms, type LatencySummary } from './support/stats.js';

const SIZES = [100, 1_000, 10_000];
const LOAD_CONCURRENCY = 16;
const STATUS_CALLS = 1_000;
const WARMUP_CALLS = 200;
const RESTARTS = 3;
const LISTS: Readonly<Record<number, number>> = { 100: 200, 1000: 50, 10000: 10 };
const LIST_PATH = '/runtime.v1.ImageService/ListImages';
const CRI_READY_TIMEOUT_MS = 300_000;
const PULL_LAYER_BYTES = 100 << 20;

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

interface Figures {
  list: Record<number, LatencySummary>;
  status: Record<number, LatencySummary>;
}

interface Server {
  readonly label: string;
  socket: string;
  stop(): Promise<unknown>;
  /** Starts it again on the same data directory; resolves once its socket exists. */
  restart(): Promise<void>;
}

/** The number of images CRI ListImages reports, or undefined while the server cannot answer. */
async function criCount(raw: ReturnType<typeof rawUnary<typeof ListImagesRequestSchema>>): Promise<number | undefined> {
  try {
    const bytes = await raw.call(LIST_PATH, ListImagesRequestSchema, {}, K8S_NAMESPACE);
    return fromBinary(ListImagesResponseSchema, bytes).images.length;
  } catch {
    return undefined;
  }
}

/** Polls CRI ListImages on `socket` until it reports `n` images. */
async function waitForCriCount(socket: string, n: number, label: string, pollMs = 2): Promise<void> {
  const raw = rawUnary<typeof ListImagesRequestSchema>(socket);
  const deadline = Date.now() + CRI_READY_TIMEOUT_MS;
  let last: number | undefined;
  try {
    while ((last = await criCount(raw)) !== n) {
      if (Date.now() > deadline) throw new Error(`${label}: CRI ListImages reports ${String(last)} images, expected ${n}`);
      await sleep(pollMs);
    }
  } finally {
    raw.close();
  }
}

async function measureServer(server: Server, n: number, figures: Figures): Promise<void> {
  const raw = rawUnary<typeof ListImagesRequestSchema>(server.socket);
  const cri = createServiceClient(ImageService, server.socket);
  const md = { metadata: K8S_NAMESPACE };
  try {
    const list = () => raw.call(LIST_PATH, ListImagesRequestSchema, {}, K8S_NAMESPACE);
    const listed = fromBinary(ListImagesResponseSchema, await list()).images;
    if (listed.length !== n) throw new Error(`${server.label}: ListImages returned ${listed.length} images, expected ${n}`);
    const probe = await cri.imageStatus({ image: { image: benchImageName(0) } }, md);
    if (probe.image === undefined) throw new Error(`${server.label}: ImageStatus(${benchImageName(0)}) found no image`);
    // Warm-up (server and client JIT), untimed.
    await measure(WARMUP_CALLS, 1, () => cri.imageStatus({ image: { image: benchImageName(Math.floor(Math.random() * n)) } }, md));
    await measure(Math.min(5, LISTS[n] ?? 5), 1, list);
    figures.list[n] = await measure(LISTS[n] ?? 10, 1, list);
    figures.status[n] = await measure(STATUS_CALLS, 1, () =>
      cri.imageStatus({ image: { image: benchImageName(Math.floor(Math.random() * n)) } }, md),
    );
  } finally {
    raw.close();
    cri.close();
  }
}

/** Median time, over {@link RESTARTS} runs, from spawning the server to its first full CRI ListImages. */
async function restartToFirstList(server: Server, n: number): Promise<number> {
  const runs: number[] = [];
  for (let run = 0; run < RESTARTS; run++) {
    await server.stop();
    const start = performance.now();
    await server.restart();
    await waitForCriCount(server.socket, n, server.label);
    runs.push(performance.now() - start);
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  cleanup.exitOnSignals();
  try {
    const ctrd = await startContainerd({ withCri: true });
    cleanup.defer(async () => rmSync(ctrd.dir, { recursive: true, force: true }));
    let ctrdStop = ctrd.stop;
    const containerd: Server = {
      label: 'containerd',
      socket: ctrd.socket,
      stop: () => ctrdStop(),
      async restart() {
        const again = await startContainerd({ dir: ctrd.dir, withCri: true });
        ctrdStop = again.stop;
      },
    };
    cleanup.defer(() => containerd.stop());

    const imagedProc = await startImagedProcess();
    cleanup.defer(async () => rmSync(imagedProc.root, { recursive: true, force: true }));
    let imagedStop = () => imagedProc.stop();
    const imaged: Server = {
      label: 'imaged',
      socket: imagedProc.socket,
      stop: () => imagedStop(),
      async restart() {
        const again = await startImagedProcess({ root: imagedProc.root });
        imagedStop = () => again.stop();
      },
    };
    cleanup.defer(() => imaged.stop());

    const servers = [containerd, imaged];
    const results: Record<string, Figures> = {
      containerd: { list: {}, status: {} },
      imaged: { list: {}, status: {} },
    };
    const loaders = servers.map((s) => new ImageLoader(s.socket));
    cleanup.defer(async () => loaders.forEach((l) => l.close()));
    let loaded = 0;
    for (const n of SIZES) {
      const t0 = performance.now();
      await Promise.all(loaders.map((l) => l.load(loaded, n, LOAD_CONCURRENCY)));
      loaded = n;
      await Promise.all(servers.map((s) => waitForCriCount(s.socket, n, s.label, 20)));
      process.stderr.write(`loaded ${n} images into both servers in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      for (const s of servers) await measureServer(s, n, results[s.label]!);
      process.stderr.write(`measured N=${n}\n`);
    }
    loaders.forEach((l) => l.close());

    const last = SIZES.at(-1)!;
    const restart: Record<string, number> = {};
    for (const s of servers) {
      restart[s.label] = await restartToFirstList(s, last);
      process.stderr.write(`restart ${s.label}: ${ms(restart[s.label]!)} ms\n`);
    }

    // Optional: a failed pull is reported, the rest of the table still printed.
    let pull: { containerd: number; imaged: number } | undefined;
    await Promise.all(servers.map((s) => s.stop()));
    try {
      pull = await coldPull(cleanup, PULL_LAYER_BYTES);
    } catch (err) {
      process.stderr.write(`PullImage benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }

    const c = results.containerd!;
    const i = results.imaged!;
    const row = (what: string, cv: number, iv: number) => [what, `${ms(cv)} ms`, `${ms(iv)} ms`, `${(iv / cv).toFixed(2)}×`];
    const rows = [
      ...SIZES.map((n) => row(`ListImages p50 (N=${n})`, c.list[n]!.p50, i.list[n]!.p50)),
      ...SIZES.map((n) => row(`ListImages p99 (N=${n})`, c.list[n]!.p99, i.list[n]!.p99)),
      ...SIZES.map((n) => row(`ImageStatus p50 (N=${n})`, c.status[n]!.p50, i.status[n]!.p50)),
      ...SIZES.map((n) => row(`ImageStatus p99 (N=${n})`, c.status[n]!.p99, i.status[n]!.p99)),
      row(`restart → first full ListImages (${last.toLocaleString('en-US')} images, median of ${RESTARTS})`, restart.containerd!, restart.imaged!),
      ...(pull === undefined ? [] : [row(`PullImage cold (1 layer, ${PULL_LAYER_BYTES >> 20} MiB, local registry)`, pull.containerd, pull.imaged)]),
    ];
    process.stdout.write(
      `${markdownTable(['operation', 'containerd 1.6.20 (CRI)', 'imaged', 'imaged / containerd'], rows)}\n`,
    );
  } finally {
    await cleanup.run();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
