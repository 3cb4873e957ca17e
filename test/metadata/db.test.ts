/** The in-memory mirror always equals what the database holds, whatever the names contain. */
import fc from 'fast-check';
import { MetadataDb } from '../../src/metadata/index.js';
import { yieldToIo } from '../../src/sync/index.js';
import { tempDir } from '../support/temp-dir.js';

type Op = { kind: 'put' | 'remove' | 'scanRemove'; namespace: string; name: string; value: number };

const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('put', 'put', 'remove', 'scanRemove'),
  namespace: fc.constantFrom('a', 'b', 'k8s.io'),
  name: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('x\u0000y', '\u0000', 'sha256:ab', 'docker.io/library/a:1')),
  value: fc.integer(),
});

const snapshot = (db: MetadataDb) => {
  const table = db.table<number>('t');
  return ['a', 'b', 'k8s.io'].map((ns) => [ns, [...table.values(ns)]]);
};

test('mirror equals the reopened database after any sequence of writes', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
      const dir = tempDir();
      const db = MetadataDb.open(dir);
      const table = db.table<number>('t');
      for (const o of ops) {
        await db.update((tx) => {
          if (o.kind === 'put' && o.name !== '') tx.put(table, o.namespace, o.name, o.value);
          if (o.kind === 'remove') tx.remove(table, o.namespace, o.name);
          if (o.kind === 'scanRemove') {
            for (const e of tx.scan(table)) if (e.namespace === o.namespace) tx.remove(table, e.namespace, e.name);
          }
        });
      }
      const live = snapshot(db);
      await db.close();
      const reopened = MetadataDb.open(dir);
      expect(snapshot(reopened)).toEqual(live);
      await reopened.close();
    }),
    { numRuns: 40 },
  );
});

test('preload, interleaved with writes, ends with the mirror a synchronous load gives', async () => {
  const dir = tempDir();
  const db = MetadataDb.open(dir);
  const table = db.table<number>('t');
  await db.update((tx) => {
    for (let i = 0; i < 20_000; i++) tx.put(table, i % 3 === 0 ? 'a' : 'b', `n${i}`, i);
  });
  await db.close();

  for (const writeDuring of [false, true]) {
    const reopened = MetadataDb.open(dir);
    const t = reopened.table<number>('t');
    const loading = t.preload();
    if (writeDuring) {
      await yieldToIo();
      await reopened.update((tx) => {
        tx.put(t, 'a', 'n0', -1);
        tx.remove(t, 'b', 'n1');
        tx.put(t, 'k8s.io', 'new', 7);
      });
    }
    await loading;
    const live = snapshot(reopened);
    await reopened.close();
    const fresh = MetadataDb.open(dir);
    expect(live).toEqual(snapshot(fresh));
    expect(fresh.table<number>('t').count('b')).toBe(writeDuring ? 13_332 : 13_333);
    await fresh.close();
  }
});

test('generations count the committed transactions that wrote to each table and namespace', async () => {
  const dir = tempDir();
  const db = MetadataDb.open(dir);
  const t = db.table<number>('t');
  const u = db.table<number>('u');
  const generations = () => [db.generation(t, 'a'), db.generation(t, 'b'), db.generation(u, 'a')];
  expect(generations()).toEqual([0, 0, 0]);
  await db.update((tx) => {
    tx.put(t, 'a', 'x', 1);
    tx.put(t, 'a', 'y', 2);
  });
  expect(generations()).toEqual([1, 0, 0]);
  await Promise.all([db.update((tx) => tx.put(t, 'a', 'x', 3)), db.update((tx) => tx.remove(u, 'a', 'x'))]);
  expect(generations()).toEqual([2, 0, 1]);
  await expect(
    db.update((tx) => {
      tx.put(t, 'b', 'x', 1);
      throw new Error('nothing is written');
    }),
  ).rejects.toThrow('nothing is written');
  await db.update(() => undefined);
  expect(generations()).toEqual([2, 0, 1]);
  await db.close();
  const reopened = MetadataDb.open(dir);
  expect([reopened.generation(reopened.table('t'), 'a'), reopened.generation(reopened.table('u'), 'a')]).toEqual([2, 1]);
  await reopened.close();
});

test('an over-long name has no record: reading or removing it changes nothing, writing it is InvalidArgument', async () => {
  const db = MetadataDb.open(tempDir());
  const table = db.table<number>('t');
  const long = 'x'.repeat(5000);
  try {
    expect(await db.update((tx) => tx.get(table, 'a', long))).toBeUndefined();
    await db.update((tx) => tx.remove(table, 'a', long));
    await expect(db.update((tx) => tx.put(table, 'a', long, 1))).rejects.toThrow(/5000 bytes long; at most 1800 bytes can be stored/);
    expect(table.count('a')).toBe(0);
  } finally {
    await db.close();
  }
});
