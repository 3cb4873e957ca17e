/**
 * Garbage collection and SIGKILL against the real daemon. Each iteration loads images (config,
 * shared layers and a manifest whose gc.ref labels name them, written through Content.Write under
 * a lease) into two namespaces sharing layers, deletes many images with `sync: true` from one
 * client, and kills the daemon at a seeded point in the middle of those deletes (and their
 * collections). After a restart on the same root: the daemon serves; acknowledged deletes stuck
 * and untouched images survived; every listed image's whole tree reads back with the right
 * digests; no visible blob lacks its file; and one more synchronous delete leaves no orphan files
 * and nothing unreachable. The next iteration builds on the recovered root.
 */
import { watch } from 'node:fs';
import { join } from 'node:path';
import { clientsFor, inNamespace } from '../support/clients.js';
import { listContent, putBlob, sha, type Clients } from '../support/content-io.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { seededBytes as bytesOf, seededRandom as prng } from '../support/seeded.js';
import { blobFiles, checkStore } from '../support/store-invariants.js';

const REF = 'containerd.io/gc.ref.content';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
const LAYER = 'application/vnd.oci.image.layer.v1.tar';
const NAMESPACES = ['gc-crash-a', 'gc-crash-b'] as const;
const SEED = 0xc0ffee;
const ITERATIONS = 4;
const IMAGES_PER_ITERATION = 24;
const IN_FLIGHT = 4;

/** Loads one iteration's images (and some loose blobs) into both namespaces; returns the image names per namespace. */
async function load(c: Clients, iteration: number): Promise<Map<string, string[]>> {
  const r = prng(SEED + iteration);
  const pool = Array.from({ length: 12 }, (_, k) => bytesOf(SEED * 13 + iteration * 100 + k, 1024 + r.int(60 << 10)));
  // A few layers of the previous iteration come back (some may have been collected meanwhile).
  if (iteration > 0) pool.push(...Array.from({ length: 3 }, (_, k) => bytesOf(SEED * 13 + (iteration - 1) * 100 + k, 1024)));
  const names = new Map<string, string[]>();
  for (const namespace of NAMESPACES) {
    const lease = `load-${iteration}`;
    await c.leases.create({ id: lease }, inNamespace(namespace));
    const written = new Set<string>();
    const once = async (data: Buffer, labels: Record<string, string> = {}) => {
      if (written.has(sha(data))) return;
      written.add(sha(data));
      await putBlob(c, namespace, data, { lease, labels });
    };
    const list: string[] = [];
    for (let k = 0; k < IMAGES_PER_ITERATION / NAMESPACES.length; k++) {
      const name = `registry.example/it${iteration}/${namespace}/img-${k}:v1`;
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', name }));
      const layers = [...new Set(Array.from({ length: 1 + r.int(4) }, () => pool[r.int(pool.length)]!))];
      const descriptor = (mediaType: string, data: Buffer) => ({ mediaType, digest: sha(data), size: data.length });
      const manifest = Buffer.from(
        JSON.stringify({ schemaVersion: 2, mediaType: MANIFEST, config: descriptor(CONFIG, config), layers: layers.map((l) => descriptor(LAYER, l)) }),
      );
      await once(config);
      for (const layer of layers) await once(layer);
      const labels: Record<string, string> = { [`${REF}.config`]: sha(config) };
      layers.forEach((l, i) => (labels[`${REF}.l.${i}`] = sha(l)));
      await once(manifest, labels);
      await c.images.create(
        { image: { name, target: { mediaType: MANIFEST, digest: sha(manifest), size: BigInt(manifest.length) } } },
        inNamespace(namespace),
      );
      list.push(name);
    }
    // Loose blobs only the lease holds: garbage once the lease goes.
    for (let k = 0; k < 4; k++) await once(bytesOf(SEED * 17 + iteration * 10 + k, 2048 + r.int(8192)));
    await c.leases.delete({ id: lease }, inNamespace(namespace));
    names.set(namespace, list);
  }
  return names;
}

/** Digests reachable in `namespace` from its images through gc.ref labels (no leases are left). */
async function reachable(c: Clients, namespace: string): Promise<string[]> {
  const infos = new Map((await listContent(c, namespace)).map((i) => [i.digest, i]));
  const seen = new Set<string>();
  const queue = (await c.images.list({}, inNamespace(namespace))).images.map((im) => im.target!.digest);
  for (let d = queue.pop(); d !== undefined; d = queue.pop()) {
    if (seen.has(d) || !infos.has(d)) continue;
    seen.add(d);
    for (const [k, v] of Object.entries(infos.get(d)!.labels)) if (k === REF || k.startsWith(`${REF}.`)) queue.push(v);
  }
  return [...seen].sort();
}

test('SIGKILL during synchronous image deletes and their collections, then restart: nothing referenced is lost, orphans go', async () => {
  let daemon: ImagedProcess = await startImaged();
  const root = daemon.root;
  let c = clientsFor(daemon.socket);
  const r = prng(SEED);
  let exitCode: number | null = null;
  /** Images that must exist (never sent for deletion) and that must not (deletion acknowledged). */
  const mustExist = new Map<string, Set<string>>(NAMESPACES.map((ns) => [ns, new Set()]));
  const mustNotExist = new Map<string, Set<string>>(NAMESPACES.map((ns) => [ns, new Set()]));
  try {
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const loaded = await load(c, iteration);
      for (const [ns, names] of loaded) for (const n of names) mustExist.get(ns)!.add(n);

      // Delete most images of every iteration so far, in a seeded order, IN_FLIGHT at a time.
      const candidates = NAMESPACES.flatMap((ns) => [...mustExist.get(ns)!].sort().map((name) => ({ ns, name })));
      const victims = candidates.filter(() => r.next() < 0.7);
      for (let i = victims.length - 1; i > 0; i--) {
        const j = r.int(i + 1);
        [victims[i], victims[j]] = [victims[j]!, victims[i]!];
      }
      // The moment of the kill, chosen by the seed: a few milliseconds after the k-th delete was
      // sent, or as soon as a collection starts deleting blob files after it (mid-sweep).
      expect(victims.length).toBeGreaterThan(4);
      const killAfter = 1 + r.int(victims.length - 3);
      const onSweep = r.next() < 0.5;
      const killDelayMs = r.int(6);
      let sent = 0;
      let killed: Promise<void> | undefined;
      const kill = () => (killed ??= daemon.kill());
      const watcher = watch(join(root, 'content', 'blobs', 'sha256'), () => {
        // Nothing is written during the deletes: every event is a collection removing a file.
        if (onSweep && sent >= killAfter) void kill();
      });
      const sender = async () => {
        // At most two more deletes are sent after the k-th, so some are always left unsent.
        while (killed === undefined && sent < killAfter + 2) {
          const { ns, name } = victims[sent++]!;
          mustExist.get(ns)!.delete(name); // from now on it may or may not exist
          if (sent === killAfter && !onSweep) setTimeout(kill, killDelayMs);
          try {
            await c.images.delete({ name, sync: true }, inNamespace(ns));
            mustNotExist.get(ns)!.add(name);
          } catch {
            return; // the daemon died under the call
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, sender));
      watcher.close();
      await kill(); // if no sweep deleted a file after the k-th delete, the daemon dies idle
      c.close();
      expect(sent).toBeLessThan(victims.length);

      daemon = await startImaged({ root });
      c = clientsFor(daemon.socket);
      const { problems, images } = await checkStore(c, root, NAMESPACES);
      expect(problems).toEqual([]);
      for (const ns of NAMESPACES) {
        const present = images.get(ns)!;
        expect([...mustExist.get(ns)!].filter((n) => !present.has(n))).toEqual([]);
        expect([...mustNotExist.get(ns)!].filter((n) => present.has(n))).toEqual([]);
        // Whatever survived is now known to exist.
        for (const n of present) mustExist.get(ns)!.add(n);
      }

      // One more synchronous delete of each kind: the collection removes every orphan file.
      const [ns] = NAMESPACES;
      const survivor = [...mustExist.get(ns)!].sort()[0];
      if (survivor !== undefined) {
        await c.images.delete({ name: survivor, sync: true }, inNamespace(ns));
        mustExist.get(ns)!.delete(survivor);
        mustNotExist.get(ns)!.add(survivor);
      }
      await c.leases.create({ id: `after-${iteration}` }, inNamespace(ns));
      await c.leases.delete({ id: `after-${iteration}`, sync: true }, inNamespace(ns));
      const visibleAnywhere = new Set<string>();
      for (const n of NAMESPACES) {
        const visible = (await listContent(c, n)).map((i) => i.digest).sort();
        for (const d of visible) visibleAnywhere.add(d);
        expect(visible).toEqual(await reachable(c, n));
      }
      const namespaces = (await c.namespaces.list({})).namespaces.map((n) => n.name);
      expect(namespaces.filter((n) => !(NAMESPACES as readonly string[]).includes(n))).toEqual([]);
      expect([...blobFiles(root).keys()].filter((d) => !visibleAnywhere.has(d))).toEqual([]);
      expect((await checkStore(c, root, NAMESPACES)).problems).toEqual([]);
    }
  } finally {
    c.close();
    exitCode = await daemon.stop();
  }
  expect(exitCode).toBe(0);
}, 180_000);
