/**
 * Collections running back to back while clients pull (lease → blobs → manifest with gc.ref labels
 * → image → drop the lease) and delete images, in two namespaces sharing layers; some pulls write
 * the layers of an image another client is deleting with a synchronous collection. The workload is
 * planned from a seed; at the end of each round (writers and collector quiescent) and at the end:
 * every blob reachable from a live image or lease is visible in its namespace with a file of the
 * right size and digest, no visible blob lacks its file, every pulled image's tree is whole, and
 * after a final collection nothing unreachable remains.
 */
import type { Storage } from '../../src/storage/index.js';
import { tempDir } from '../support/temp-dir.js';
import { openManual, orphanFiles, prng, seededBytes, sha, visible, visibleWithoutFile, writeBlob } from './helpers.js';

const REF = 'containerd.io/gc.ref.content';
const NAMESPACES = ['ns-a', 'ns-b'] as const;
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OPS = 300;
const ROUND = 50;
const WORKERS = 6;
const SEEDS = [0x5eed, 20240601, 77];

type Op =
  | { kind: 'pull'; id: number; namespace: string; layers: number[]; configSize: number; expected: boolean; pauses: number[] }
  | { kind: 'delete'; id: number; namespace: string; pick: number }
  /** A pull of an image's layers while another client deletes that image with a synchronous collection. */
  | { kind: 'replace'; id: number; namespace: string; pick: number; ticks: number; configSize: number; expected: boolean; pauses: number[] };

interface Pulled {
  readonly name: string;
  readonly manifest: Buffer;
  readonly blobs: readonly Buffer[];
  readonly layers: readonly number[];
}

/** The plan: which ops, in which namespaces, with which layers (interleaving is up to the runtime). */
function plan(seed: number): { ops: Op[]; layers: Buffer[] } {
  const r = prng(seed);
  const layers = Array.from({ length: 10 }, (_, i) => seededBytes(seed * 31 + i, 200 + r.int(3000)));
  const ops: Op[] = [];
  for (let id = 0; id < OPS; id++) {
    const namespace = r.pick(NAMESPACES);
    const dice = r.next();
    const common = { id, namespace, configSize: 50 + r.int(400), expected: r.next() < 0.8, pauses: Array.from({ length: 6 }, () => r.int(4)) };
    if (dice < 0.4) {
      const count = 1 + r.int(4);
      const chosen = [...new Set(Array.from({ length: count }, () => r.int(layers.length)))];
      ops.push({ kind: 'pull', ...common, layers: chosen });
    } else if (dice < 0.65) {
      ops.push({ kind: 'delete', id, namespace, pick: r.int(1 << 30) });
    } else {
      ops.push({ kind: 'replace', ...common, pick: r.int(1 << 30), ticks: r.int(6) });
    }
  }
  return { ops, layers };
}

/** Lets other tasks (the collector, other writers) run `n` times around the event loop. */
const pause = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** Every digest reachable in `namespace` from live images and leases (image targets, lease content, gc.ref labels). */
function reachable(storage: Storage, namespace: string): Set<string> {
  const { images, leases, content } = storage.metadata;
  const seen = new Set<string>();
  const queue = [
    ...images.list(namespace).map((im) => im.target.digest),
    ...leases.list(namespace).flatMap((l) => l.resources.filter((res) => res.type === 'content').map((res) => res.id)),
  ];
  for (let d = queue.pop(); d !== undefined; d = queue.pop()) {
    if (seen.has(d)) continue;
    seen.add(d);
    const info = content.table.get(namespace, d);
    if (info === undefined) continue; // reported by the caller as missing
    for (const [k, v] of Object.entries(info.labels)) if (k === REF || k.startsWith(`${REF}.`)) queue.push(v);
  }
  return seen;
}

/** Checks every invariant with writers and collector quiescent; returns the problems found. */
async function problems(storage: Storage, model: Map<string, Map<string, Pulled>>): Promise<string[]> {
  const found: string[] = [];
  for (const namespace of NAMESPACES) {
    const listed = storage.metadata.images.list(namespace).map((im) => im.name).sort();
    const expected = [...(model.get(namespace)?.keys() ?? [])].sort();
    if (JSON.stringify(listed) !== JSON.stringify(expected)) found.push(`${namespace}: images ${JSON.stringify(listed)}, expected ${JSON.stringify(expected)}`);
    for (const digest of reachable(storage, namespace)) {
      const info = storage.metadata.content.table.get(namespace, digest);
      if (info === undefined) {
        found.push(`${namespace}: ${digest} is referenced by a live image or lease but not visible`);
        continue;
      }
      const size = await storage.local.blobSize(digest);
      if (size !== info.size) found.push(`${namespace}: ${digest} is referenced; its file has ${size ?? 'no'} bytes, not ${info.size}`);
      else if ((await storage.local.actualDigest(digest)) !== digest) found.push(`${namespace}: ${digest} has other bytes on disk`);
    }
    for (const image of model.get(namespace)?.values() ?? []) {
      for (const b of [image.manifest, ...image.blobs]) {
        if (storage.metadata.content.table.get(namespace, sha(b)) === undefined) found.push(`${namespace}: ${image.name} lost ${sha(b)} (${b.byteLength} bytes)`);
      }
    }
  }
  found.push(...(await visibleWithoutFile(storage)));
  return found;
}

test.each(SEEDS)('seed %d: %#: concurrent pulls, deletes and collections lose nothing referenced', async (seed) => {
  const { storage, reports } = await openManual(tempDir('imaged-gc-stress-'));
  const { ops, layers } = plan(seed);
  const model = new Map<string, Map<string, Pulled>>(NAMESPACES.map((ns) => [ns, new Map()]));
  const failures: string[] = [];
  let collections = 0;
  let deletions = 0;
  let sharedWrites = 0;
  let replaced = 0;

  const pull = async (op: Extract<Op, { kind: 'pull' }>, whileLeased: () => Promise<void> = async () => {}) => {
    const { namespace, id, pauses } = op;
    const name = `registry.example/app-${id}:v1`;
    const lease = `pull-${id}`;
    const config = seededBytes(seed * 7919 + id, op.configSize);
    const own = op.layers.map((i) => layers[i]!);
    await storage.metadata.leases.create(namespace, lease, { 'containerd.io/gc.expire': '2999-01-01T00:00:00Z' });
    await whileLeased();
    await pause(pauses[0]!);
    for (const [k, b] of [...own, config].entries()) {
      if ((await writeBlob(storage, namespace, b, { lease, expected: op.expected })) === 'exists') sharedWrites++;
      await pause(pauses[(k % 3) + 1]!);
    }
    const labels: Record<string, string> = { [`${REF}.config`]: sha(config) };
    own.forEach((b, k) => (labels[`${REF}.l.${k}`] = sha(b)));
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, name, config: sha(config), layers: own.map(sha) }));
    await writeBlob(storage, namespace, manifest, { lease, labels });
    await pause(pauses[4]!);
    await storage.metadata.images.create(namespace, {
      name,
      labels: {},
      target: { mediaType: MANIFEST, digest: sha(manifest), size: manifest.byteLength, annotations: {} },
    });
    model.get(namespace)!.set(name, { name, manifest, blobs: [config, ...own], layers: op.layers });
    await pause(pauses[5]!);
    await storage.metadata.leases.delete(namespace, lease);
  };

  /** Takes a live image of `namespace` out of the model (so no other op picks it) and returns it. */
  const take = (namespace: string, pick: number): Pulled | undefined => {
    const images = model.get(namespace)!;
    if (images.size === 0) return undefined;
    const image = images.get([...images.keys()].sort()[pick % images.size]!)!;
    images.delete(image.name);
    return image;
  };

  const remove = async (op: Extract<Op, { kind: 'delete' }>) => {
    const image = take(op.namespace, op.pick);
    if (image === undefined) return;
    await storage.metadata.images.delete(op.namespace, image.name);
    deletions++;
  };

  // A pull that, once its lease exists, sees another client delete the image whose layers it is
  // about to write and start a collection (Images.Delete with sync), then writes a few ticks later.
  const replace = async (op: Extract<Op, { kind: 'replace' }>) => {
    const images = model.get(op.namespace)!;
    const names = [...images.keys()].sort();
    const old = names.length === 0 ? undefined : images.get(names[op.pick % names.length]!);
    let collection: Promise<unknown> = Promise.resolve();
    const layerIds = [...(old?.layers ?? [op.pick % layers.length])];
    await pull({ kind: 'pull', id: op.id, namespace: op.namespace, layers: layerIds, configSize: op.configSize, expected: op.expected, pauses: op.pauses }, async () => {
      if (old === undefined || !images.delete(old.name)) return; // another op took it meanwhile
      await storage.metadata.images.delete(op.namespace, old.name);
      deletions++;
      collection = storage.gc.collectNow();
      for (let i = 0; i < op.ticks; i++) await Promise.resolve();
    });
    replaced++;
    await collection;
  };

  try {
    for (let start = 0; start < ops.length; start += ROUND) {
      const round = ops.slice(start, start + ROUND);
      let stop = false;
      const collector = (async () => {
        while (!stop) {
          await storage.gc.collectNow();
          collections++;
          await pause(1);
        }
      })();
      let next = 0;
      const worker = async () => {
        for (let op = round[next++]; op !== undefined; op = round[next++]) {
          try {
            await (op.kind === 'pull' ? pull(op) : op.kind === 'delete' ? remove(op) : replace(op));
          } catch (err) {
            failures.push(`op ${op.id} (${op.kind} in ${op.namespace}) failed: ${String(err)}`);
          }
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      stop = true;
      await collector;
      expect({ round: start / ROUND, failures, problems: await problems(storage, model) }).toEqual({ round: start / ROUND, failures: [], problems: [] });
    }

    // Quiescent: one more collection leaves exactly what the live images reach, and no orphan files.
    await storage.gc.collectNow();
    expect(await problems(storage, model)).toEqual([]);
    for (const namespace of NAMESPACES) {
      expect(storage.metadata.leases.list(namespace)).toEqual([]);
      expect(visible(storage, namespace).sort()).toEqual([...reachable(storage, namespace)].sort());
    }
    expect(await orphanFiles(storage)).toEqual([]);
    // The workload did what it is meant to exercise.
    expect(collections).toBeGreaterThan(OPS / ROUND);
    expect(deletions).toBeGreaterThan(0);
    expect(sharedWrites).toBeGreaterThan(0);
    expect(replaced).toBeGreaterThan(0);
    expect([...model.values()].reduce((n, m) => n + m.size, 0)).toBeGreaterThan(0);
    expect(reports).toEqual([]);
  } finally {
    await storage.close();
  }
});
