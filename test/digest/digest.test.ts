import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import { digestAlgorithm, digestEncoded, parseDigest, tryParseDigest } from '../../src/digest/index.js';

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

test.each([
  [`sha256:${'a'.repeat(64)}`, true],
  [`sha384:${'0'.repeat(96)}`, true],
  [`sha512:${'f'.repeat(128)}`, true],
  [`sha256:${'A'.repeat(64)}`, false],
  [`sha256:${'a'.repeat(63)}`, false],
  ['sha256:../../etc/passwd', false],
  [`md5:${'a'.repeat(32)}`, false],
  [`SHA256:${'a'.repeat(64)}`, false],
  [`:${'a'.repeat(64)}`, false],
  ['sha256:', false],
  ['', false],
  [`sha256:${'a'.repeat(64)}\n`, false],
])('%j valid=%s', (input, valid) => {
  expect(tryParseDigest(input) !== undefined).toBe(valid);
  if (!valid) expect(() => parseDigest(input)).toThrow(/^invalid digest/);
});

test('any string parses or is InvalidArgument, never anything else', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), (s) => {
      try {
        const d = parseDigest(s);
        expect(`${digestAlgorithm(d)}:${digestEncoded(d)}`).toBe(s);
      } catch (err) {
        expect(err).toBeInstanceOf(ImagedError);
        expect((err as ImagedError).kind).toBe('InvalidArgument');
      }
    }),
    { numRuns: 5000 },
  );
});

test('every well-formed sha256 digest parses and contains no path separators', () => {
  fc.assert(
    fc.property(hex(64), (h) => {
      const d = parseDigest(`sha256:${h}`);
      expect(d).not.toMatch(/[/.]/);
    }),
  );
});
