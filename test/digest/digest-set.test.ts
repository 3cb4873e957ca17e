/** DigestSet against a plain list: any mix of additions, removals and lookups answers the same. */
import fc from 'fast-check';
import { DigestSet } from '../../src/digest/index.js';
import { ImagedError } from '../../src/errdefs/index.js';

/** Few hex characters, so prefixes collide often. */
const digest = fc.string({ unit: fc.constantFrom('a', 'b', '0'), minLength: 64, maxLength: 64 }).map((hex) => `sha256:${hex}`);
type Op = { kind: 'add'; digests: string[] } | { kind: 'remove'; digest: string } | { kind: 'lookup'; prefix: string };
const op: fc.Arbitrary<Op> = fc.oneof(
  // Single additions and bursts larger than the set inserts one by one before the next read.
  fc.record({ kind: fc.constant('add' as const), digests: fc.array(digest, { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('add' as const), digests: fc.array(digest, { minLength: 30, maxLength: 60 }) }),
  fc.record({ kind: fc.constant('remove' as const), digest }),
  fc.record({ kind: fc.constant('lookup' as const), prefix: fc.tuple(digest, fc.nat({ max: 71 }), fc.boolean()).map(([d, n, bare]) => (bare ? d.slice(7, 8 + n) : d.slice(0, 8 + n))) }),
);

/** What a lookup of `prefix` should give among `members`: the digest, or the error kind. */
function expected(members: ReadonlySet<string>, prefix: string): string {
  const wanted = prefix.includes(':') ? prefix : `sha256:${prefix}`;
  if (members.has(wanted)) return wanted;
  const matches = [...members].filter((d) => d.startsWith(wanted));
  return matches.length === 1 ? matches[0]! : matches.length === 0 ? 'NotFound' : 'FailedPrecondition';
}

test('lookups, sizes and removals match a plain set after any operations', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const set = new DigestSet();
      const model = new Set<string>();
      for (const o of ops) {
        if (o.kind === 'add') {
          for (const d of o.digests) {
            set.add(d);
            model.add(d);
          }
        } else if (o.kind === 'remove') {
          set.remove(o.digest);
          model.delete(o.digest);
        } else {
          let got: string;
          try {
            got = set.lookup(o.prefix);
          } catch (err) {
            got = err instanceof ImagedError ? err.kind : String(err);
          }
          expect(got).toBe(expected(model, o.prefix));
        }
      }
      expect(set.size).toBe(model.size);
    }),
    { numRuns: 300 },
  );
});
