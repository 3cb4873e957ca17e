/** The in-memory mirror always equals what the database holds, whatever the names contain. */
import fc from 'fast-check';
import { MetadataDb } from '../../src/metadata/index.js';
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
