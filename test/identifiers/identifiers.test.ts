import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import { validateIdentifier, validateLabels } from '../../src/identifiers/index.js';

test.each([
  ['default', true],
  ['k8s.io', true],
  ['a-b_c.d', true],
  ['a'.repeat(76), true],
  ['a'.repeat(77), false],
  ['', false],
  ['-a', false],
  ['a..b', false],
  ['a/b', false],
  ['a b', false],
])('identifier %j valid=%s', (id, valid) => {
  let ok = true;
  try {
    validateIdentifier(id, 'namespace');
  } catch {
    ok = false;
  }
  expect(ok).toBe(valid);
});

test('identifier validation: accepted or InvalidArgument, never anything else', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      try {
        validateIdentifier(s, 'namespace');
        expect(s).toMatch(/^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*$/);
      } catch (err) {
        expect((err as ImagedError).kind).toBe('InvalidArgument');
      }
    }),
    { numRuns: 5000 },
  );
});

test('label limit counts bytes of key and value together', () => {
  expect(() => validateLabels({ k: 'v'.repeat(4095) })).not.toThrow();
  expect(() => validateLabels({ k: 'v'.repeat(4096) })).toThrow(/4097 bytes, more than the 4096 allowed/);
  expect(() => validateLabels({ k: 'é'.repeat(2048) })).toThrow(/4097 bytes/);
  expect(() => validateLabels({ '': 'v' })).toThrow(/label key must not be empty/);
});
