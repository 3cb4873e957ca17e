/**
 * SIGKILL at seeded moments during (a) CRI pulls from a real docker-registry, (b) Content.Write
 * ingests, (c) garbage collections after many image deletions and (d) bursts of Images
 * create/update/delete. After every kill the daemon restarts on the same root, every store
 * invariant is checked (see test/support/store-invariants.ts), and the interrupted work is resumed
 * or repeated and must succeed with the outcomes acknowledged before the kill.
 * Replay a failure with IMAGED_SEED=<printed seed>.
 */
import { randomBytes } from 'node:crypto';
import { createServiceClient } from '../../src/client/index.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { WriteAction } from '../../gen/services/content/v1/content_pb.js';
import { codeOf, inNamespace } from '../support/clients.js';
import { sha, type Clients } from '../support/content-io.js';
import { buildImage, buildMultiArch, type BuiltRoot } from '../support/oci-fixture.js';
import { seededRandom, testSeed } from '../support/seeded.js';
import { blobFiles } from '../support/store-invariants.js';
import { runCrashScenario, type CrashTotals, type Live } from './support/crash-loop.js';
import { plainHttpHosts, registryWith, type ImageRegistry } from './support/registry-fixture.js';
import { inParallel } from './support/in-parallel.js';
import { recordResults } from './support/results.js';
import { storeImage, type Target } from './support/store-image.js';

const PULL_ROUNDS = 12;
const INGEST_ROUNDS = 16;
const GC_ROUNDS = 10;
const BURST_ROUNDS = 16;
const PULL_KILL_MS = 300;
const INGEST_KILL_MS = 150;
const GC_KILL_MS = 120;
const BURST_KILL_MS = 150;
const INGEST_BYTES = 8 << 20;
const INGEST_CHUNK = 256 << 10;
const GC_IMAGES = 120;
const BURST_NAMES = 200;
const IN_FLIGHT = 8;

const seed = testSeed('crash-faults');
const totals: CrashTotals = { faults: 0, midWork: 0, checks: 0 };
const K8S = 'k8s.io';
const NS = 'crash';
const KEEP = 'keep';
const ns = inNamespace(NS);

afterAll(() => recordResults('crash', { seed, ...totals }));

/** A synchronous collection (creating and deleting a lease with sync), as containerd clients trigger one. */
async function collect(c: Clients, namespace: string): Promise<void> {
  await c.leases.create({ id: 'collect' }, inNamespace(namespace));
  await c.leases.delete({ id: 'collect', sync: true }, inNamespace(namespace));
}

/** Creates the lease that keeps a scenario's loose content, unless a previous round made it. */
async function keepLease(c: Clients): Promise<void> {
  const code = await codeOf(c.leases.create({ id: KEEP }, ns));
  if (code !== 'OK' && code !== 'ALREADY_EXISTS') throw new Error(`creating lease ${KEEP}: ${code}`);
}

describe('SIGKILL during CRI pulls from a real registry', () => {
  let images: ImageRegistry;
  const roots: Record<string, BuiltRoot> = {
    one: buildImage({ layers: [{ randomBytes: 3 << 20 }, { randomBytes: 1 << 20 }] }),
    two: buildImage({ layers: [{ randomBytes: 2 << 20 }, { files: { 'etc/two': 'two' } }] }),
    multi: buildMultiArch({ layers: [{ randomBytes: 2 << 20 }, { files: { 'etc/multi': 'x' } }] }).index,
    four: buildImage({ layers: [{ randomBytes: 4 << 20 }] }),
  };
  const names = Object.keys(roots);
  beforeAll(async () => {
    images = await registryWith(roots);
  }, 120_000);
  afterAll(async () => {
    await images?.registry.stop();
  });

  test(`${PULL_ROUNDS} kills mid-pull: the store stays consistent and the pull then succeeds`, async () => {
    const pick = (round: number) => images.refOn(names[round % names.length]!);
    const cri = (live: Live) => createServiceClient(ImageService, live.daemon.socket);
    await runCrashScenario(
      {
        name: 'pull',
        rounds: PULL_ROUNDS,
        maxKillDelayMs: PULL_KILL_MS,
        args: ['--registry-config-dir', plainHttpHosts([images.registry.host])],
        async work(live, round) {
          const client = cri(live);
          try {
            await client.pullImage({ image: { image: pick(round) } });
          } finally {
            client.close();
          }
        },
        async recover(live, round) {
          const client = cri(live);
          try {
            const { imageRef } = await client.pullImage({ image: { image: pick(round) } });
            expect((await client.imageStatus({ image: { image: pick(round) } })).image?.id).toBe(imageRef);
            // Remove it and collect, so the next pull of it downloads again.
            await client.removeImage({ image: { image: pick(round) } });
            await collect(live.c, K8S);
          } finally {
            client.close();
          }
        },
      },
      seededRandom(seed),
      totals,
    );
  }, 180_000);
});

test(`${INGEST_ROUNDS} kills mid-ingest: partial data stays in the ingest, resuming commits the right digest`, async () => {
  const data = new Map<number, Buffer>();
  const ref = (round: number) => `ingest-${round}`;
  async function write(live: Live, round: number, from: number): Promise<string | undefined> {
    const bytes = data.get(round)!;
    const expected = sha(bytes);
    async function* messages() {
      yield { action: WriteAction.STAT, ref: ref(round), total: BigInt(bytes.length), expected };
      for (let at = from; at < bytes.length; at += INGEST_CHUNK) {
        yield { action: WriteAction.WRITE, ref: ref(round), offset: BigInt(at), data: bytes.subarray(at, at + INGEST_CHUNK) };
      }
      yield { action: WriteAction.COMMIT, ref: ref(round), offset: BigInt(bytes.length), total: BigInt(bytes.length), expected };
    }
    let digest: string | undefined;
    for await (const reply of live.c.content.write(messages(), { metadata: { ...ns.metadata, 'containerd-lease': KEEP } })) digest = reply.digest || digest;
    return digest;
  }
  await runCrashScenario(
    {
      name: 'ingest',
      rounds: INGEST_ROUNDS,
      maxKillDelayMs: INGEST_KILL_MS,
      namespaces: [NS],
      async prepare(live, round) {
        await keepLease(live.c);
        data.set(round, randomBytes(INGEST_BYTES));
      },
      async work(live, round) {
        await write(live, round, 0);
      },
      async recover(live, round) {
        const expected = sha(data.get(round)!);
        const committed = (await codeOf(live.c.content.info({ digest: expected }, ns))) === 'OK';
        if (!committed) {
          const status = await live.c.content.status({ ref: ref(round) }, ns).catch(() => undefined);
          const offset = Number(status?.status?.offset ?? 0n);
          expect(offset).toBeLessThanOrEqual(INGEST_BYTES);
          // ALREADY_EXISTS (as from containerd) when the kill came after the blob was stored but before
          // this namespace recorded it: opening the write records it, and the client is done.
          const resumed = write(live, round, offset);
          const code = await codeOf(resumed);
          if (code !== 'ALREADY_EXISTS') expect([code, await resumed]).toEqual(['OK', expected]);
        }
        const { info } = await live.c.content.info({ digest: expected }, ns);
        expect(info?.size).toBe(BigInt(INGEST_BYTES));
        expect((await live.c.content.listStatuses({}, ns)).statuses.map((s) => s.ref)).not.toContain(ref(round));
        data.delete(round);
      },
    },
    seededRandom(seed + 1),
    totals,
  );
}, 180_000);

test(`${GC_ROUNDS} kills during collections after ${GC_IMAGES} image deletions: nothing referenced lost, orphans go`, async () => {
  const r = seededRandom(seed + 2);
  const nameOf = (round: number, i: number) => `gc.example.com/r${round}/img-${i}:v1`;
  const sent = new Set<string>();
  const deleted = new Set<string>();
  await runCrashScenario(
    {
      name: 'gc',
      rounds: GC_ROUNDS,
      maxKillDelayMs: GC_KILL_MS,
      namespaces: [NS],
      async prepare(live, round) {
        await live.c.leases.create({ id: `load-${round}` }, ns);
        const targets: Target[] = [];
        for (let k = 0; k < 3; k++) {
          const image = buildImage({ layers: [{ files: { 'etc/round': `${round}-${k}` } }, { randomBytes: 16 << 10 }] });
          targets.push(await storeImage(live.c, NS, image, `load-${round}`));
        }
        await inParallel(GC_IMAGES, IN_FLIGHT, (i) => live.c.images.create({ image: { name: nameOf(round, i), target: targets[i % 3]! } }, ns));
        await live.c.leases.delete({ id: `load-${round}` }, ns);
      },
      async work(live, round) {
        await inParallel(GC_IMAGES, IN_FLIGHT, async (i) => {
          const name = nameOf(round, i);
          sent.add(name);
          await live.c.images.delete({ name, sync: r.next() < 0.1 }, ns);
          deleted.add(name);
        });
      },
      async recover(live, round, report) {
        const present = report.images.get(NS)!;
        for (let i = 0; i < GC_IMAGES; i++) {
          const name = nameOf(round, i);
          if (!sent.has(name)) expect(present.has(name)).toBe(true);
          if (deleted.has(name)) expect(present.has(name)).toBe(false);
          else if (present.has(name)) await live.c.images.delete({ name }, ns); // finish the job
        }
        await collect(live.c, NS);
        const visible = new Set((await live.c.images.list({}, ns)).images.map((im) => im.name));
        expect(visible.size).toBe(0);
        expect([...blobFiles(live.daemon.root).keys()]).toEqual([]);
      },
    },
    r,
    totals,
  );
}, 180_000);

test(`${BURST_ROUNDS} kills during bursts of Images create/update/delete: acknowledged outcomes hold`, async () => {
  const r = seededRandom(seed + 3);
  const nameOf = (i: number) => `burst.example.com/img-${i}:v1`;
  /** The acknowledged state: labels of each existing image; absent names do not exist. */
  const model = new Map<string, Record<string, string>>();
  const inFlight = new Set<string>();
  let targets: Target[] = [];
  await runCrashScenario(
    {
      name: 'burst',
      rounds: BURST_ROUNDS,
      maxKillDelayMs: BURST_KILL_MS,
      namespaces: [NS],
      async prepare(live, round) {
        if (round > 0) return;
        await keepLease(live.c);
        targets = [];
        for (let k = 0; k < 3; k++) targets.push(await storeImage(live.c, NS, buildImage({ layers: [{ files: { 'etc/burst': String(k) } }] }), KEEP));
      },
      async work(live, round) {
        inFlight.clear();
        await inParallel(100_000, IN_FLIGHT * 2, async (op) => {
          let i = r.int(BURST_NAMES);
          while (inFlight.has(nameOf(i))) i = (i + 1) % BURST_NAMES;
          const name = nameOf(i);
          inFlight.add(name);
          const labels = { round: String(round), op: String(op) };
          const image = { name, labels, target: targets[op % 3]! };
          if (!model.has(name)) {
            await live.c.images.create({ image }, ns);
            model.set(name, labels);
          } else if (r.next() < 0.5) {
            await live.c.images.update({ image, updateMask: { paths: ['labels', 'target'] } }, ns);
            model.set(name, labels);
          } else {
            await live.c.images.delete({ name }, ns);
            model.delete(name);
          }
          inFlight.delete(name);
        });
      },
      async recover(live) {
        const listed = new Map((await live.c.images.list({}, ns)).images.map((im) => [im.name, { ...im.labels }]));
        for (let i = 0; i < BURST_NAMES; i++) {
          const name = nameOf(i);
          if (inFlight.has(name)) continue;
          expect([name, listed.get(name)]).toEqual([name, model.get(name)]);
        }
        // What was in flight is now whatever the store kept.
        for (const name of inFlight) {
          const labels = listed.get(name);
          if (labels === undefined) model.delete(name);
          else model.set(name, labels);
        }
        await live.c.images.create({ image: { name: 'burst.example.com/after:v1', target: targets[0]! } }, ns);
        await live.c.images.delete({ name: 'burst.example.com/after:v1' }, ns);
      },
    },
    r,
    totals,
  );
}, 180_000);
