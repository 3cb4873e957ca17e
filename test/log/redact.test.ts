import fc from 'fast-check';
import { REDACTED, redactSecrets, SECRET_FIELDS } from '../../src/log/index.js';

test('flat fields without secrets come back as the same object (no copy)', () => {
  const fields = { requestId: 'r', method: '/a.B/C', durationMs: 1, nested: { ok: true }, list: [1, 2] };
  expect(redactSecrets(fields)).toBe(fields);
});

test.each([
  ['Authorization'],
  ['proxy-authorization'],
  ['identityToken'],
  ['IDENTITY_TOKEN'],
  ['registryToken'],
  ['authConfig'],
  ['Password'],
])('%s is a secret in any spelling, at any depth, inside arrays; the input is not changed', (name) => {
  const fields = { a: 1, [name]: 'x', deep: { list: [{ b: { c: { d: { [name]: { user: 'u' } } } } }] } };
  const before = structuredClone(fields);
  expect(redactSecrets(fields)).toEqual({ a: 1, [name]: REDACTED, deep: { list: [{ b: { c: { d: { [name]: REDACTED } } } }] } });
  expect(fields).toEqual(before);
});

test('errors and other class instances are left to the serializers', () => {
  const err = Object.assign(new Error('boom'), { password: 'kept for pino' });
  expect(redactSecrets({ err }).err).toBe(err);
});

test('a cycle ends in a redacted value instead of a stack overflow', () => {
  const loop: Record<string, unknown> = { name: 'x' };
  loop['self'] = loop;
  expect(JSON.stringify(redactSecrets(loop))).toContain(REDACTED);
});

const names = new Set(SECRET_FIELDS.map((n) => n.replace(/[-_]/g, '')));
/** Every value under a secret key (any case, `-` and `_` ignored) anywhere in `value`. */
const secretsIn = (value: unknown): unknown[] =>
  value === null || typeof value !== 'object'
    ? []
    : Object.entries(value).flatMap(([k, v]) => (names.has(k.toLowerCase().replace(/[-_]/g, '')) ? [v] : secretsIn(v)));

test('no value under a secret key survives; nothing else changes', () => {
  const key = fc.oneof(fc.constantFrom(...SECRET_FIELDS, 'Authorization', 'identityToken', '__proto__'), fc.string());
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(key, tie('tree'), { maxKeys: 4 })),
  }));
  fc.assert(
    fc.property(tree, (value) => {
      const before = structuredClone(value);
      const out = redactSecrets(value);
      expect(value).toEqual(before);
      expect(secretsIn(out).every((v) => v === REDACTED)).toBe(true);
      if (secretsIn(value).length === 0) expect(out).toBe(value);
    }),
    { numRuns: 1000 },
  );
});
