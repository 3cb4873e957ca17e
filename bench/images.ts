/**
 * Images API side by side: the same Node client loads N image records into imaged and into a
 * private containerd, then measures Get, List and Create, plus imaged's restart-to-first-answer.
 * List responses are timed as raw bytes (the client's decoding is the same for both servers and
 * would only dilute the comparison); Get and Create are timed with full decoding.
 * Run with `npm run bench`; prints a markdown table of both and the ratio imaged/containerd.
 */
import { createServiceClient } from '../src/client/index.js';
import { rmSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { Images, ListImagesRequestSchema, ListImagesResponseSchema } from '../gen/services/images/v1/images_pb.js';
import { rawUnary } from './support/raw-call.js';
import { startContainerd } from './support/containerd.js';
import { startImagedProcess } from '../test/support/imaged-process.js';
import { markdownTable, measure, ms, type LatencySummary } from './support/stats.js';

const SIZES = [100, 1_000, 10_000];
const LOAD_CONCURRENCY = 16;
const GETS = 2_000;
const WARMUP_CALLS = 1_000;
const RESTARTS = 5;
const LISTS = { 100: 200, 1000: 50, 10000: 10 } as Readonly<Record<number, number>>;

type ImagesClient = ReturnType<typeof createServiceClient<(typeof Images)['method']>>;

const imageRecord = (i: number) => ({
  name: `registry.example.com/bench/app-${i}:v${i % 7}`,
  labels: { 'io.cri-containerd.image': 'managed', team: `t${i % 13}` },
  target: {
    mediaType: 'application/vnd.oci.image.index.v1+json',
    digest: `sha256:${i.toString(16).padStart(64, '0')}`,
    size: 1234n + BigInt(i),
  },
});

interface Figures {
  create: LatencySummary;
  get: Record<number, LatencySummary>;
  list: Record<number, LatencySummary>;
}

async function run(client: ImagesClient, socket: string): Promise<Figures> {
  const raw = rawUnary<typeof ListImagesRequestSchema>(socket);
  const figures: Figures = { create: undefined as never, get: {}, list: {} };
  // Warm both servers (and the client's JIT) up before anything is timed.
  const warm = { metadata: { 'containerd-namespace': 'warmup' } };
  await client.create({ image: imageRecord(0) }, warm);
  await measure(WARMUP_CALLS, 1, () => client.get({ name: imageRecord(0).name }, warm));
  for (const n of SIZES) {
    const md = { metadata: { 'containerd-namespace': `bench-${n}` } };
    const create = await measure(n, LOAD_CONCURRENCY, (i) => client.create({ image: imageRecord(i) }, md));
    if (n === SIZES.at(-1)) figures.create = create;
    figures.get[n] = await measure(GETS, 1, (i) => client.get({ name: imageRecord((i * 7919) % n).name }, md));
    const list = () => raw.call('/containerd.services.images.v1.Images/List', ListImagesRequestSchema, {}, md.metadata);
    const listed = fromBinary(ListImagesResponseSchema, await list()).images.length;
    if (listed !== n) throw new Error(`List returned ${listed} images, expected ${n}`);
    figures.list[n] = await measure(LISTS[n] ?? 10, 1, list);
  }
  raw.close();
  return figures;
}

/** A server that can be started on an existing data directory. */
interface Restartable {
  start(): Promise<{ socket: string; stop(): Promise<unknown> }>;
}

/** Median time, over {@link RESTARTS} runs, from spawning the server to its first full List of the largest namespace. */
async function restartToFirstAnswer(server: Restartable): Promise<number> {
  const namespace = { metadata: { 'containerd-namespace': `bench-${SIZES.at(-1)}` } };
  const runs: number[] = [];
  for (let run = 0; run < RESTARTS; run++) {
    const start = performance.now();
    const daemon = await server.start();
    const client = createServiceClient(Images, daemon.socket);
    for (;;) {
      try {
        if ((await client.list({}, namespace)).images.length === SIZES.at(-1)) break;
      } catch {
        await new Promise((res) => setTimeout(res, 2));
      }
    }
    runs.push(performance.now() - start);
    client.close();
    await daemon.stop();
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

async function main(): Promise<void> {
  const containerd = await startContainerd();
  const imaged = await startImagedProcess();
  const results: Record<string, Figures> = {};
  try {
    for (const [who, socket] of [
      ['containerd', containerd.socket],
      ['imaged', imaged.socket],
    ] as const) {
      const client = createServiceClient(Images, socket);
      results[who] = await run(client, socket);
      client.close();
    }
  } finally {
    await containerd.stop();
    await imaged.stop();
  }
  let restart;
  try {
    restart = {
      containerd: await restartToFirstAnswer({ start: () => startContainerd({ dir: containerd.dir }) }),
      imaged: await restartToFirstAnswer({ start: () => startImagedProcess({ root: imaged.root }) }),
    };
  } finally {
    for (const dir of [containerd.dir, imaged.root]) rmSync(dir, { recursive: true, force: true });
  }
  const c = results.containerd!;
  const i = results.imaged!;
  const row = (what: string, cv: number, iv: number, unit = 'ms') => [what, `${ms(cv)} ${unit}`, `${ms(iv)} ${unit}`, `${(iv / cv).toFixed(2)}×`];
  const rows = [
    ...SIZES.map((n) => row(`Images.Get p50 (N=${n})`, c.get[n]!.p50, i.get[n]!.p50)),
    ...SIZES.map((n) => row(`Images.Get p99 (N=${n})`, c.get[n]!.p99, i.get[n]!.p99)),
    ...SIZES.map((n) => row(`Images.List p50 (N=${n})`, c.list[n]!.p50, i.list[n]!.p50)),
    ...SIZES.map((n) => row(`Images.List p99 (N=${n})`, c.list[n]!.p99, i.list[n]!.p99)),
    row(`Images.Create p50 (${LOAD_CONCURRENCY} in flight)`, c.create.p50, i.create.p50),
    row(`Images.Create p99 (${LOAD_CONCURRENCY} in flight)`, c.create.p99, i.create.p99),
    [`Images.Create throughput`, `${c.create.opsPerSecond.toFixed(0)}/s`, `${i.create.opsPerSecond.toFixed(0)}/s`, `${(i.create.opsPerSecond / c.create.opsPerSecond).toFixed(2)}× (higher is better)`],
    row(`restart → first full List (10,000 images, median of ${RESTARTS})`, restart.containerd, restart.imaged),
  ];
  process.stdout.write(`${markdownTable(['operation', 'containerd 1.6.20', 'imaged', 'imaged / containerd'], rows)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
