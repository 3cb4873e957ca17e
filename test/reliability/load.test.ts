/**
 * Load: 64 concurrent clients over several gRPC channels run a seeded mix of CRI ImageStatus and
 * ListImages and containerd Images.Get and Images.List against 10,000 image records for a bounded
 * time. Every call must succeed with the right answer. Lists are received undecoded (so the figures
 * are the daemon's, not this process's protobuf decoding) and must equal the first list, which was
 * decoded and counted. Prints calls held and p50/p99 per method and writes them to
 * test/reliability/.results/load.json.
 */
import { createServiceClient } from '../../src/client/index.js';
import { fromBinary, type DescMessage } from '@bufbuild/protobuf';
import { ImageService, ListImagesRequestSchema, ListImagesResponseSchema } from '../../gen/runtime/v1/api_pb.js';
import { Images, ListImagesRequestSchema as ListRequestSchema, ListImagesResponseSchema as ListResponseSchema } from '../../gen/services/images/v1/images_pb.js';
import { rawUnary } from '../../bench/support/raw-call.js';
import { summarize } from '../../bench/support/stats.js';
import { clientsFor, inNamespace } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { buildImage } from '../support/oci-fixture.js';
import { seededRandom, testSeed } from '../support/seeded.js';
import { inParallel } from './support/in-parallel.js';
import { recordResults } from './support/results.js';
import { storeImage, type Target } from './support/store-image.js';

const IMAGES = 10_000;
const DISTINCT = 250;
const CLIENTS = 64;
const CHANNELS = 8;
const DURATION_MS = 15_000;
const SEED_IN_FLIGHT = 32;
const NAMESPACE = 'k8s.io';
const SEED_LEASE = 'load-seed';
const MIX = [
  ['cri.ImageStatus', 0.4],
  ['images.Get', 0.4],
  ['cri.ListImages', 0.1],
  ['images.List', 0.1],
] as const;
type Method = (typeof MIX)[number][0];

const nameOf = (i: number) => `load.example.com/app-${i % DISTINCT}/img:v${i}`;
const md = inNamespace(NAMESPACE);
let daemon: ImagedProcess;

const CRI_LIST = '/runtime.v1.ImageService/ListImages';
const IMAGES_LIST = '/containerd.services.images.v1.Images/List';

/**
 * Lists once, decoded, and checks the count; returns a checker for later raw answers: the same
 * bytes, or (should the order ever differ) a decoded answer with the same count.
 */
async function listOnce(
  raw: ReturnType<typeof rawUnary<DescMessage>>,
  path: string,
  input: DescMessage,
  output: typeof ListImagesResponseSchema | typeof ListResponseSchema,
  metadata: Readonly<Record<string, string>>,
  count: number,
): Promise<{ check(bytes: Buffer): void }> {
  const counted = (bytes: Buffer) => {
    const n = fromBinary(output, bytes).images.length;
    if (n !== count) throw new Error(`${path} answered ${n} images, expected ${count}`);
  };
  const reference = await raw.call(path, input, {}, metadata);
  counted(reference);
  return { check: (bytes) => (bytes.equals(reference) ? undefined : counted(bytes)) };
}

beforeAll(async () => {
  daemon = await startImaged();
  const c = clientsFor(daemon.socket);
  try {
    // Content is written under a lease (as a client must) until the image records reference it.
    await c.leases.create({ id: SEED_LEASE }, md);
    const targets: Target[] = [];
    for (let k = 0; k < DISTINCT; k++) {
      // One shared layer; distinct configs, so the CRI sees DISTINCT images with many tags each.
      targets.push(await storeImage(c, NAMESPACE, buildImage({ layers: [{ files: { 'etc/load': 'x' } }], config: { env: [`K=${k}`] } }), SEED_LEASE));
    }
    await inParallel(IMAGES, SEED_IN_FLIGHT, (i) =>
      c.images.create({ image: { name: nameOf(i), labels: { 'io.cri-containerd.image': 'managed' }, target: targets[i % DISTINCT]! } }, md),
    );
    await c.leases.delete({ id: SEED_LEASE }, md);
  } finally {
    c.close();
  }
  const cri = createServiceClient(ImageService, daemon.socket);
  try {
    while ((await cri.listImages({})).images.length < DISTINCT) await new Promise((r) => setTimeout(r, 50));
  } finally {
    cri.close();
  }
}, 180_000);

afterAll(async () => {
  await daemon?.stop();
});

test(`${CLIENTS} clients, mixed CRI and containerd reads of ${IMAGES} images for ${DURATION_MS / 1000} s: no errors`, async () => {
  const seed = testSeed('load');
  // A local subchannel pool gives every channel its own connection.
  const own = { 'grpc.use_local_subchannel_pool': 1 };
  const channels = Array.from({ length: CHANNELS }, () => ({
    cri: createServiceClient(ImageService, daemon.socket, own),
    images: createServiceClient(Images, daemon.socket, own),
    raw: rawUnary<DescMessage>(daemon.socket, own),
  }));
  const lists = {
    cri: await listOnce(channels[0]!.raw, CRI_LIST, ListImagesRequestSchema, ListImagesResponseSchema, {}, DISTINCT),
    images: await listOnce(channels[0]!.raw, IMAGES_LIST, ListRequestSchema, ListResponseSchema, md.metadata, IMAGES),
  };
  const samples = new Map<Method, number[]>(MIX.map(([m]) => [m, []]));
  const errors: string[] = [];
  const call = async (method: Method, i: number, ch: (typeof channels)[number]): Promise<void> => {
    const name = nameOf(i);
    switch (method) {
      case 'cri.ImageStatus': {
        const { image } = await ch.cri.imageStatus({ image: { image: name } });
        if (!image?.repoTags.includes(name)) throw new Error(`ImageStatus(${name}) did not name it`);
        return;
      }
      case 'images.Get': {
        const { image } = await ch.images.get({ name }, md);
        if (image?.name !== name) throw new Error(`Get(${name}) answered ${image?.name}`);
        return;
      }
      case 'cri.ListImages':
        return lists.cri.check(await ch.raw.call(CRI_LIST, ListImagesRequestSchema, {}, {}));
      case 'images.List':
        return lists.images.check(await ch.raw.call(IMAGES_LIST, ListRequestSchema, {}, md.metadata));
    }
  };
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const r = seededRandom(seed + client);
        const ch = channels[client % CHANNELS]!;
        while (performance.now() - start < DURATION_MS) {
          let x = r.next();
          const method = MIX.find(([, w]) => (x -= w) < 0)?.[0] ?? MIX[0][0];
          const t0 = performance.now();
          try {
            await call(method, r.int(IMAGES), ch);
            samples.get(method)!.push(performance.now() - t0);
          } catch (err) {
            errors.push(`${method}: ${String(err)}`);
          }
        }
      }),
    );
  } finally {
    for (const ch of channels) {
      ch.cri.close();
      ch.images.close();
      ch.raw.close();
    }
  }
  const wallMs = performance.now() - start;
  const perMethod = Object.fromEntries(
    [...samples].map(([method, s]) => {
      const { p50, p99, opsPerSecond } = summarize(s, wallMs);
      return [method, { calls: s.length, p50Ms: +p50.toFixed(2), p99Ms: +p99.toFixed(2), perSecond: +opsPerSecond.toFixed(0) }];
    }),
  );
  const calls = [...samples.values()].reduce((n, s) => n + s.length, 0);
  recordResults('load', { seed, images: IMAGES, distinctImages: DISTINCT, clients: CLIENTS, channels: CHANNELS, seconds: +(wallMs / 1000).toFixed(1), calls, errors: errors.length, perMethod });
  expect(errors.slice(0, 5)).toEqual([]);
  expect(calls).toBeGreaterThan(CLIENTS);
}, 120_000);
