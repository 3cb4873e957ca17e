/**
 * The saved CRI cache and list: whatever image writes happened before a stop, a restart that serves
 * the saved list and restores the saved cache has exactly what a full rebuild of the reference cache
 * gives; any image write in the CRI namespace retires them; an image whose content cannot be read
 * keeps them from being saved.
 */
import fc from 'fast-check';
import { factsTable } from '../../src/cri/image-facts.js';
import { PINNED_LABEL, PINNED_VALUE, startImageSync } from '../../src/cri/image-sync.js';
import { openCacheSnapshot } from '../../src/cri/cache-snapshot.js';
import { ReferenceCache } from '../../src/cri/reference-cache.js';
import { isKind } from '../../src/errdefs/index.js';
import { createEventBus } from '../../src/events/index.js';
import { ImageStore, MetadataDb, NamespaceStore } from '../../src/metadata/index.js';
import { defaultPlatformMatcher } from '../../src/platforms/index.js';
import { encodeImageList } from '../../src/server/cri-image-service.js';
import { buildImage, buildMultiArch, memoryProvider, rootDescriptor, type BuiltRoot } from '../support/oci-fixture.js';
import { tempDir } from '../support/temp-dir.js';

const CRI = 'k8s.io';
const multi = buildMultiArch({ layers: [{ files: { a: 'b' } }] });
const roots: BuiltRoot[] = [
  multi.index,
  buildImage({ layers: [{ files: { x: '1' } }], config: { user: 'nobody' } }),
  buildImage({ layers: [{ files: { x: '2' } }], config: { user: '1000:1000' } }),
  buildImage({ layers: [{ files: { x: '3' } }] }),
];
/** A target whose blobs are not in the provider: images naming it are left out of CRI. */
const unreadable = buildImage({ layers: [{ files: { gone: 'yes' } }] });
const targets = [...roots, unreadable].map((r) => ({ ...rootDescriptor(r), annotations: {} }));
const provider = memoryProvider(roots.flatMap((r) => [...r.blobs]));
const NAMES = [
  'docker.io/library/busybox:1.36',
  'docker.io/library/busybox:latest',
  'registry.example.com/team/app:v1',
  `registry.example.com/team/app@${targets[1]!.digest}`,
  `sha256:${'c'.repeat(64)}`,
];

type Op =
  | { kind: 'put'; namespace: string; name: string; target: number; pinned: boolean }
  | { kind: 'delete'; namespace: string; name: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('put' as const),
    namespace: fc.constantFrom(CRI, CRI, 'other'),
    name: fc.constantFrom(...NAMES),
    target: fc.nat({ max: targets.length - 1 }),
    pinned: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('delete' as const), namespace: fc.constantFrom(CRI, 'other'), name: fc.constantFrom(...NAMES) }),
);

/** The stores of one root, with the CRI sync running; `load` restores a current snapshot unless `rebuild`. */
function open(root: string, rebuild = false) {
  const db = MetadataDb.open(root);
  const bus = createEventBus();
  const images = new ImageStore(db, new NamespaceStore(db, bus), bus);
  const cache = new ReferenceCache();
  const snapshot = openCacheSnapshot({ namespace: CRI, db, images: images.table, facts: factsTable(db) });
  const saved = () => (rebuild ? Promise.resolve(undefined) : snapshot.images());
  const sync = startImageSync(cache, { namespace: CRI, images: images.table, provider, db, matcher: defaultPlatformMatcher(), saved, warn: () => {} }, bus);
  return { db, images, cache, sync, snapshot };
}

/** Everything a cache answers: the images it lists and what each reference resolves to. */
const contents = (cache: ReferenceCache) => ({ list: cache.list(), resolved: NAMES.map((n) => cache.resolveReference(n)) });

/** A cache rebuilt from the records of `root` alone. */
async function rebuilt(root: string) {
  const s = open(root, true);
  s.sync.load();
  await s.sync.ready;
  const result = { contents: contents(s.cache), encoding: Buffer.from(encodeImageList(s.cache.list())) };
  s.sync.stop();
  await s.db.close();
  return result;
}

async function apply(images: ImageStore, o: Op): Promise<void> {
  try {
    if (o.kind === 'delete') return await images.delete(o.namespace, o.name);
    const input = { name: o.name, labels: o.pinned ? { [PINNED_LABEL]: PINNED_VALUE } : {}, target: targets[o.target]! };
    if (images.table.get(o.namespace, o.name) === undefined) await images.create(o.namespace, input);
    else await images.update(o.namespace, input, []);
  } catch (err) {
    if (!isKind(err, 'NotFound')) throw err;
  }
}

test('after any image writes, the saved list and the restored cache equal a full rebuild at the next start', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 3 }), async (before, after) => {
      const root = tempDir('imaged-cri-list-');
      const first = open(root);
      first.sync.load();
      await first.sync.ready;
      for (const o of before) await apply(first.images, o);
      await first.sync.settled();
      await first.snapshot.save(encodeImageList);
      const leftOut = first.images.table.values(CRI).some((i) => i.target.digest === unreadable.manifest.descriptor.digest);
      first.sync.stop();
      await first.db.close();

      const expected = await rebuilt(root);
      const second = open(root);
      const saved = second.snapshot.list();
      // Saved unless an image could not be read; then the next start rebuilds.
      expect(saved === undefined).toBe(leftOut);
      expect((await second.snapshot.images()) === undefined).toBe(leftOut);
      second.sync.load();
      await second.sync.ready;
      // Restored (or rebuilt), the cache is what a rebuild gives, and so is the saved list.
      expect(contents(second.cache)).toEqual(expected.contents);
      if (saved !== undefined) expect(Buffer.from(saved).equals(expected.encoding)).toBe(true);

      // Writes to other namespaces leave it current; any write to the CRI namespace retires it.
      const generation = second.db.generation(second.images.table, CRI);
      for (const o of after) await apply(second.images, o);
      await second.sync.settled();
      const written = second.db.generation(second.images.table, CRI) !== generation;
      expect(second.snapshot.list()).toBe(written ? undefined : saved);
      // Whenever it is served, it is what the live cache lists.
      const current = second.snapshot.list();
      if (current !== undefined) expect(Buffer.from(current).equals(Buffer.from(encodeImageList(second.cache.list())))).toBe(true);
      const liveAfter = contents(second.cache);
      second.sync.stop();
      await second.db.close();
      // Events applied on top of a restored cache keep it equal to a rebuild.
      expect((await rebuilt(root)).contents).toEqual(liveAfter);
    }),
    { numRuns: 25 },
  );
});

test('a write to the CRI namespace retires the saved cache and list; saving again brings them back', async () => {
  const root = tempDir('imaged-cri-list-');
  const s = open(root);
  s.sync.load();
  await s.sync.ready;
  await apply(s.images, { kind: 'put', namespace: CRI, name: NAMES[0]!, target: 0, pinned: false });
  await s.sync.settled();
  expect(s.snapshot.list()).toBeUndefined();
  await s.snapshot.save(encodeImageList);
  const saved = s.snapshot.list();
  expect(saved).toBeDefined();
  await apply(s.images, { kind: 'put', namespace: 'other', name: NAMES[1]!, target: 1, pinned: false });
  expect(s.snapshot.list()).toBe(saved);
  await apply(s.images, { kind: 'put', namespace: CRI, name: NAMES[0]!, target: 0, pinned: true });
  expect(s.snapshot.list()).toBeUndefined();
  expect(await s.snapshot.images()).toBeUndefined();
  await s.sync.settled();
  await s.snapshot.save(encodeImageList);
  expect(Buffer.from(s.snapshot.list()!).equals(Buffer.from(encodeImageList(s.cache.list())))).toBe(true);
  expect(await s.snapshot.images()).toEqual(s.cache.saved());
  expect(s.cache.list()[0]!.pinned).toBe(true);
  s.sync.stop();
  await s.db.close();
});

test('a large cache is saved in parts; saving a smaller one leaves no stale part behind', async () => {
  const root = tempDir('imaged-cri-list-');
  const hex = (i: number, c: string) => `sha256:${c}${String(i).padStart(63, '0')}`;
  const count = 600;
  // Facts persisted up front, so the images need no content.
  const put = async (s: ReturnType<typeof open>, keep: number) => {
    const facts = factsTable(s.db);
    await s.db.update((tx) => {
      for (let i = 0; i < count; i++) {
        const name = `registry.example.com/team/app-${i}:v1`;
        const target = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: hex(i, 'a'), size: 100, annotations: {} };
        tx.put(facts, '', target.digest, { id: hex(i, 'c'), chainId: hex(i, 'd'), size: 100 + i, user: {}, configJson: '{}' });
        if (i < keep) tx.put(s.images.table, CRI, name, { name, labels: {}, target, createdAt: 0n, updatedAt: 0n });
        else tx.remove(s.images.table, CRI, name);
      }
    });
  };
  for (const keep of [count, 100]) {
    const s = open(root, true);
    await put(s, keep);
    s.sync.load();
    await s.sync.ready;
    await s.snapshot.save(encodeImageList);
    const expected = s.cache.saved();
    expect(expected.length).toBe(keep);
    s.sync.stop();
    await s.db.close();
    const reopened = open(root);
    expect(await reopened.snapshot.images()).toEqual(expected);
    await reopened.db.close();
  }
});
