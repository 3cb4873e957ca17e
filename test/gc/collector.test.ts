/**
 * One collection over real storage (LMDB metadata + blob files): visibility per namespace, blob
 * files deleted only when no namespace sees them, whole image trees kept and then collected,
 * expired leases and images removed, events published; and the lease and lock guarantees a
 * write relies on when the blob it writes is already stored.
 */
import { existsSync } from 'node:fs';
import type { Envelope } from '../../src/events/index.js';
import type { Storage } from '../../src/storage/index.js';
import { tempDir } from '../support/temp-dir.js';
import { fileOf, kindOf, openManual, orphanFiles, seededBytes, sha, visible, visibleWithoutFile, writeBlob } from './helpers.js';

const REF = 'containerd.io/gc.ref.content';
const ROOT = 'containerd.io/gc.root';
const EXPIRE = 'containerd.io/gc.expire';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

let storage: Storage;
let events: Envelope[];
let reports: unknown[];
beforeEach(async () => {
  ({ storage, events, reports } = await openManual(tempDir('imaged-gc-')));
});
afterEach(async () => {
  await storage.close();
  // Only explicit collections ran: the schedule must not have started one in the background.
  expect(reports).toEqual([]);
});

const bytes = (seed: number, length = 100 + seed) => seededBytes(seed, length);
const imageOf = (name: string, target: Uint8Array, labels: Record<string, string> = {}) => ({
  name,
  labels,
  target: { mediaType: MANIFEST, digest: sha(target), size: target.byteLength, annotations: {} },
});
const published = (topic: string) =>
  events.filter((e) => e.topic === topic).map((e) => [e.namespace, (e.event.fields as Record<string, unknown>)['digest'] ?? (e.event.fields as Record<string, unknown>)['name']]);

/** Writes an image's tree under a lease, creates the image, drops the lease: as a pull does. */
async function pull(namespace: string, name: string, seed: number) {
  const config = bytes(seed);
  const layers = [bytes(seed + 1, 4000), bytes(seed + 2, 3000), bytes(seed + 3, 2000)];
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, config: sha(config), layers: layers.map(sha) }));
  const lease = `pull-${name}`;
  await storage.metadata.leases.create(namespace, lease, {});
  for (const b of [config, ...layers]) await writeBlob(storage, namespace, b, { lease });
  const labels = { [`${REF}.config`]: sha(config), [`${REF}.l.0`]: sha(layers[0]!), [`${REF}.l.1`]: sha(layers[1]!), [`${REF}.l.3`]: sha(layers[2]!) };
  await writeBlob(storage, namespace, manifest, { lease, labels });
  await storage.metadata.images.create(namespace, imageOf(name, manifest));
  await storage.metadata.leases.delete(namespace, lease);
  const all = [manifest, config, ...layers];
  return { manifest, config, layers, all, digests: all.map(sha), bytes: all.reduce((n, b) => n + b.byteLength, 0) };
}

describe('content shared by namespaces', () => {
  test('deleted in one namespace it stays visible in the other with its file; deleted in both, the file goes', async () => {
    const x = bytes(1, 5000);
    expect(await writeBlob(storage, 'a', x, { labels: { [ROOT]: 'a' } })).toBe('committed');
    // The second namespace writes the same bytes: stored once, visible twice.
    expect(await writeBlob(storage, 'b', x, { labels: { [ROOT]: 'b' }, expected: false })).toBe('committed');
    expect(await storage.local.listBlobs()).toEqual([sha(x)]);

    await storage.metadata.content.delete('a', sha(x));
    let result = await storage.gc.collectNow();
    expect(visible(storage, 'a')).toEqual([]);
    expect(visible(storage, 'b')).toEqual([sha(x)]);
    expect(await storage.local.blobSize(sha(x))).toBe(5000);
    expect(result).toMatchObject({ removedContent: 0, deletedBlobs: 0, freedBytes: 0 });

    await storage.metadata.content.delete('b', sha(x));
    result = await storage.gc.collectNow();
    expect(await storage.local.blobSize(sha(x))).toBeUndefined();
    expect(existsSync(fileOf(storage, sha(x)))).toBe(false);
    expect(result).toMatchObject({ removedContent: 0, deletedBlobs: 1, freedBytes: 5000 });
  });

  test('unreachable in one namespace it loses visibility there only; unreachable in both, the file goes', async () => {
    const x = bytes(2, 7000);
    const a = await pull('a', 'img', 10);
    // Namespace b holds one of a's layers as a root, written through the existing-blob shortcut.
    expect(await writeBlob(storage, 'b', a.layers[0]!, {})).toBe('exists');
    await storage.metadata.content.update('b', sha(a.layers[0]!), { [ROOT]: 'keep' }, [`labels.${ROOT}`]);
    expect(visible(storage, 'b')).toEqual([sha(a.layers[0]!)]);
    expect(await writeBlob(storage, 'b', x, {})).toBe('committed');

    let result = await storage.gc.collectNow();
    // x has no root in b: gone, file and all; a's tree untouched.
    expect(result).toMatchObject({ removedContent: 1, deletedBlobs: 1, freedBytes: 7000 });
    expect(await storage.local.blobSize(sha(x))).toBeUndefined();
    expect(visible(storage, 'a').sort()).toEqual([...a.digests].sort());

    await storage.metadata.images.delete('a', 'img');
    result = await storage.gc.collectNow();
    expect(visible(storage, 'a')).toEqual([]);
    expect(visible(storage, 'b')).toEqual([sha(a.layers[0]!)]);
    expect(await storage.local.blobSize(sha(a.layers[0]!))).toBe(a.layers[0]!.byteLength);
    expect(result).toMatchObject({ removedContent: 5, deletedBlobs: 4, freedBytes: a.bytes - a.layers[0]!.byteLength });

    await storage.metadata.content.update('b', sha(a.layers[0]!), {}, ['labels']);
    result = await storage.gc.collectNow();
    expect(result).toMatchObject({ removedContent: 1, deletedBlobs: 1, freedBytes: a.layers[0]!.byteLength });
    expect(await storage.local.listBlobs()).toEqual([]);
  });
});

describe('image trees', () => {
  test("an image's whole tree is kept, then collected once the image is deleted", async () => {
    const img = await pull('ns', 'example.com/app:1', 20);
    const stray = bytes(99, 1234);
    await writeBlob(storage, 'ns', stray, {});

    let result = await storage.gc.collectNow();
    expect(result).toMatchObject({ removedContent: 1, removedImages: 0, removedLeases: 0, deletedBlobs: 1, freedBytes: 1234 });
    expect(visible(storage, 'ns').sort()).toEqual([...img.digests].sort());
    for (const b of img.all) expect(await storage.local.blobSize(sha(b))).toBe(b.byteLength);
    expect(storage.metadata.content.info('ns', sha(img.manifest)).labels[`${REF}.l.3`]).toBe(sha(img.layers[2]!));

    events.length = 0;
    await storage.metadata.images.delete('ns', 'example.com/app:1');
    result = await storage.gc.collectNow();
    expect(result).toMatchObject({ removedContent: 5, removedImages: 0, deletedBlobs: 5, freedBytes: img.bytes });
    expect(visible(storage, 'ns')).toEqual([]);
    expect(await storage.local.listBlobs()).toEqual([]);
    expect(published('/images/delete')).toEqual([['ns', 'example.com/app:1']]);
    expect(published('/content/delete').sort()).toEqual(img.digests.map((d) => ['ns', d]).sort());
  });

  test('an index → manifests chain (gc.ref.content.m.N) is kept through the index', async () => {
    const one = await pull('ns', 'one', 30);
    const two = await pull('ns', 'two', 40);
    const index = Buffer.from(JSON.stringify({ manifests: [sha(one.manifest), sha(two.manifest)] }));
    await storage.metadata.leases.create('ns', 'idx', {});
    await writeBlob(storage, 'ns', index, { lease: 'idx', labels: { [`${REF}.m.0`]: sha(one.manifest), [`${REF}.m.1`]: sha(two.manifest) } });
    await storage.metadata.images.create('ns', imageOf('multi', index));
    await storage.metadata.leases.delete('ns', 'idx');
    await storage.metadata.images.delete('ns', 'one');
    await storage.metadata.images.delete('ns', 'two');

    expect(await storage.gc.collectNow()).toMatchObject({ removedContent: 0, deletedBlobs: 0 });
    expect(visible(storage, 'ns').sort()).toEqual([sha(index), ...one.digests, ...two.digests].sort());

    await storage.metadata.images.delete('ns', 'multi');
    expect(await storage.gc.collectNow()).toMatchObject({ removedContent: 11, deletedBlobs: 11 });
    expect(await storage.local.listBlobs()).toEqual([]);
  });

  test('shared layers survive while any image uses them', async () => {
    const base = bytes(50, 6000);
    const mk = async (name: string, seed: number) => {
      const own = bytes(seed, 500);
      const manifest = Buffer.from(`manifest ${name}`);
      await storage.metadata.leases.create('ns', name, {});
      await writeBlob(storage, 'ns', base, { lease: name });
      await writeBlob(storage, 'ns', own, { lease: name });
      await writeBlob(storage, 'ns', manifest, { lease: name, labels: { [`${REF}.l.0`]: sha(base), [`${REF}.l.1`]: sha(own) } });
      await storage.metadata.images.create('ns', imageOf(name, manifest));
      await storage.metadata.leases.delete('ns', name);
      return [manifest, own];
    };
    const [m1, own1] = await mk('one', 51);
    const [m2, own2] = await mk('two', 52);
    await storage.metadata.images.delete('ns', 'one');
    expect(await storage.gc.collectNow()).toMatchObject({ removedContent: 2, deletedBlobs: 2 });
    expect(visible(storage, 'ns').sort()).toEqual([sha(base), sha(m2!), sha(own2!)].sort());
    expect(await storage.local.blobSize(sha(m1!))).toBeUndefined();
    expect(await storage.local.blobSize(sha(own1!))).toBeUndefined();
    expect(await storage.local.blobSize(sha(base))).toBe(6000);
  });
});

describe('expiry and leases', () => {
  test('an expired lease is removed and what only it held is collected; an unexpired one keeps its content', async () => {
    const old = bytes(60, 800);
    const young = bytes(61, 900);
    await storage.metadata.leases.create('ns', 'old', { [EXPIRE]: '2000-01-01T00:00:00Z' });
    await storage.metadata.leases.create('ns', 'young', { [EXPIRE]: '2999-01-01T00:00:00Z' });
    await writeBlob(storage, 'ns', old, { lease: 'old' });
    await writeBlob(storage, 'ns', young, { lease: 'young' });

    events.length = 0;
    const result = await storage.gc.collectNow();
    expect(result).toMatchObject({ removedLeases: 1, removedContent: 1, deletedBlobs: 1, freedBytes: 800 });
    expect(storage.metadata.leases.list('ns').map((l) => l.id)).toEqual(['young']);
    expect(visible(storage, 'ns')).toEqual([sha(young)]);
    expect(await storage.local.blobSize(sha(old))).toBeUndefined();
    expect(published('/content/delete')).toEqual([['ns', sha(old)]]);
  });

  test('the removal of an expired lease is durable', async () => {
    const root = tempDir('imaged-gc-');
    const first = await openManual(root);
    try {
      await first.storage.metadata.leases.create('ns', 'old', { [EXPIRE]: '2000-01-01T00:00:00Z' });
      await writeBlob(first.storage, 'ns', bytes(62), { lease: 'old' });
      expect(await first.storage.gc.collectNow()).toMatchObject({ removedLeases: 1, deletedBlobs: 1 });
    } finally {
      await first.storage.close();
    }
    const second = await openManual(root);
    try {
      expect(second.storage.metadata.leases.list('ns')).toEqual([]);
      expect(visible(second.storage, 'ns')).toEqual([]);
      expect(await second.storage.local.listBlobs()).toEqual([]);
    } finally {
      await second.storage.close();
    }
  });

  test('an expired image is removed (with an /images/delete event) and its tree collected', async () => {
    const img = await pull('ns', 'temp', 70);
    await storage.metadata.images.update('ns', imageOf('temp', img.manifest, { [EXPIRE]: '2001-02-03T04:05:06Z' }), ['labels']);
    events.length = 0;
    const result = await storage.gc.collectNow();
    expect(result).toMatchObject({ removedImages: 1, removedContent: 5, deletedBlobs: 5, freedBytes: img.bytes });
    expect(storage.metadata.images.list('ns')).toEqual([]);
    expect(published('/images/delete')).toEqual([['ns', 'temp']]);
    expect(published('/content/delete').sort()).toEqual(img.digests.map((d) => ['ns', d]).sort());
  });

  test('a flat lease keeps the blobs it holds but not what their labels reference', async () => {
    const child = bytes(80, 300);
    const parent = bytes(81, 200);
    await storage.metadata.leases.create('ns', 'flat', { 'containerd.io/gc.flat': 'true' });
    await writeBlob(storage, 'ns', child, {});
    await writeBlob(storage, 'ns', parent, { lease: 'flat', labels: { [`${REF}.l.0`]: sha(child) } });
    expect(await storage.gc.collectNow()).toMatchObject({ removedContent: 1, deletedBlobs: 1, freedBytes: 300 });
    expect(visible(storage, 'ns')).toEqual([sha(parent)]);
  });

  test('each namespace is marked from its own roots only', async () => {
    const x = bytes(90, 400);
    await writeBlob(storage, 'a', x, { labels: { [ROOT]: '1' } });
    // b holds a manifest referencing x, but b does not see x, and a's root does not count in b.
    await storage.metadata.leases.create('b', 'l', {});
    const m = Buffer.from('manifest in b');
    await writeBlob(storage, 'b', m, { lease: 'l', labels: { [`${REF}.l.0`]: sha(x) } });
    expect(visible(storage, 'b')).toEqual([sha(m)]);
    await storage.metadata.content.update('a', sha(x), {}, ['labels']);
    expect(await storage.gc.collectNow()).toMatchObject({ removedContent: 1, deletedBlobs: 1 });
    expect(visible(storage, 'b')).toEqual([sha(m)]);
    expect(await storage.local.blobSize(sha(x))).toBeUndefined();
  });
});

test('orphan blob files (bytes no namespace records, as a crash leaves them) are deleted', async () => {
  const kept = bytes(100, 1000);
  await writeBlob(storage, 'ns', kept, { labels: { [ROOT]: '1' } });
  // The bytes of a commit that crashed after the rename but before the metadata recorded them.
  const orphan = bytes(101, 2222);
  const w = await storage.local.writer('crashed', {});
  await w.write(orphan);
  await w.commit(orphan.byteLength, sha(orphan));
  expect(await orphanFiles(storage)).toEqual([sha(orphan)]);
  expect(await storage.gc.collectNow()).toMatchObject({ removedContent: 0, deletedBlobs: 1, freedBytes: 2222 });
  expect(await orphanFiles(storage)).toEqual([]);
  expect(await storage.local.blobSize(sha(kept))).toBe(1000);
});

describe('writes of blobs that are already stored', () => {
  /**
   * containerd's Writer adds the blob to the caller's lease when the namespace already has it
   * (metadata/content.go: "Add content to lease to prevent other reference removals from effecting
   * this object during a provided lease"), then returns AlreadyExists. A client that got
   * AlreadyExists goes on to reference the blob, trusting its lease.
   */
  test('AlreadyExists at open: the blob is held by the writer’s lease', async () => {
    const img = await pull('ns', 'old', 110);
    const layer = img.layers[0]!;
    await storage.metadata.leases.create('ns', 'new-pull', {});
    expect(await writeBlob(storage, 'ns', layer, { lease: 'new-pull' })).toBe('exists');
    // The old image goes away while the new pull still holds its lease.
    await storage.metadata.images.delete('ns', 'old');
    await storage.gc.collectNow();
    expect(visible(storage, 'ns')).toContain(sha(layer));
    expect(await storage.local.blobSize(sha(layer))).toBe(layer.byteLength);
  });

  test('AlreadyExists at commit (two writers of the same blob): the blob is held by both leases', async () => {
    const x = bytes(120, 3000);
    await storage.metadata.leases.create('ns', 'first', {});
    await storage.metadata.leases.create('ns', 'second', {});
    const w1 = await storage.metadata.content.writer('ns', 'ref-1', { total: x.byteLength, expected: sha(x), lease: 'first' });
    const w2 = await storage.metadata.content.writer('ns', 'ref-2', { total: x.byteLength, expected: sha(x), lease: 'second' });
    await w1.write(x);
    await w2.write(x);
    await w1.commit(x.byteLength, sha(x), {});
    expect(await kindOf(w2.commit(x.byteLength, sha(x), {}))).toBe('AlreadyExists');
    await w1.close();
    await w2.close();
    await storage.metadata.leases.delete('ns', 'first');
    await storage.gc.collectNow();
    expect(visible(storage, 'ns')).toEqual([sha(x)]);
    expect(await storage.local.blobSize(sha(x))).toBe(3000);
  });

  test.each([
    ['in the same tick as', 0, 0],
    ['one microtask after', 1, 0],
    ['three microtasks after', 3, 0],
    ['one event-loop turn after', 0, 1],
    ['three event-loop turns after', 0, 3],
  ])(
    'AlreadyExists means the namespace has the blob, held by the lease, for a write %s a collection starts',
    async (_when, microtasks, turns) => {
      // x is visible but unreferenced: the collection that is starting will remove it.
      const x = bytes(140 + microtasks + 10 * turns, 2048);
      await writeBlob(storage, 'ns', x, {});
      await storage.metadata.leases.create('ns', 'pull', {});
      const collection = storage.gc.collectNow();
      for (let i = 0; i < microtasks; i++) await Promise.resolve();
      for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
      // A client writes x under its lease (its manifest is about to reference x).
      const outcome = await writeBlob(storage, 'ns', x, { lease: 'pull' });
      await collection;
      // Either the write found x and its lease now holds it, or it wrote x again under the lease.
      expect({ outcome, visible: visible(storage, 'ns') }).toEqual({ outcome, visible: [sha(x)] });
      await storage.gc.collectNow();
      expect(visible(storage, 'ns')).toEqual([sha(x)]);
      expect(await storage.local.blobSize(sha(x))).toBe(2048);
    },
  );

  test('a collection sweeping files while another namespace adopts a stored blob never leaves it visible without its file', async () => {
    const x = bytes(130, 4096);
    await writeBlob(storage, 'a', x, {});
    await storage.metadata.content.delete('a', sha(x)); // x is now an orphan file: the next sweep deletes it
    let adoption: Promise<string> | undefined;
    const listBlobs = storage.local.listBlobs.bind(storage.local);
    // While the collector (holding its lock exclusively) lists files to delete, namespace b writes x
    // with its expected digest: the store finds the file and makes it visible in b without a write.
    storage.local.listBlobs = async () => {
      const listed = await listBlobs();
      adoption = writeBlob(storage, 'b', x, { labels: { [ROOT]: 'b' } });
      // Give the write every chance to finish if nothing holds it back (it must wait for the lock).
      await Promise.race([adoption.catch(() => undefined), new Promise((r) => setTimeout(r, 200))]);
      return listed;
    };
    await storage.gc.collectNow();
    storage.local.listBlobs = listBlobs;
    expect(adoption).toBeDefined();
    await adoption;
    expect(await visibleWithoutFile(storage)).toEqual([]);
    // Whatever the interleaving, b asked for x and must end up with x readable.
    expect(visible(storage, 'b')).toEqual([sha(x)]);
    expect(await storage.local.blobSize(sha(x))).toBe(4096);
  });
});
