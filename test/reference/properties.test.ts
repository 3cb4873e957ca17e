import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import {
  type Reference,
  MAX_NAME_LENGTH,
  familiarString,
  formatReference,
  name,
  parseAnyReference,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
  parseReference,
  tryParseNormalizedNamed,
  tryParseReference,
} from '../../src/reference/index.js';
import type { Digest } from '../../src/digest/index.js';

const RUNS = { numRuns: 1500 };

const pathComponent = fc
  .stringMatching(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/)
  .filter((s) => s.length <= 40);
const label = fc.stringMatching(/^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/).filter((s) => s.length <= 20);
const host = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('.')),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((xs) => xs.join('.')),
  fc.stringMatching(/^\[[a-fA-F0-9:]{1,39}\]$/),
  fc.constant('localhost'),
);
const domain = fc.tuple(host, fc.option(fc.nat(99999), { nil: undefined })).map(([h, p]) => (p === undefined ? h : `${h}:${p}`));
const tag = fc.stringMatching(/^\w[\w.-]{0,127}$/).filter((s) => s.length <= 128);
const digest = fc.oneof(
  fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => `sha256:${h}` as Digest),
  fc.stringMatching(/^[0-9a-f]{128}$/).map((h) => `sha512:${h}` as Digest),
);

/** Any valid reference, built from the grammar's parts. */
const reference: fc.Arbitrary<Reference> = fc
  .record(
    {
      domain: domain,
      path: fc.array(pathComponent, { minLength: 1, maxLength: 4 }).map((cs) => cs.join('/')),
      tag: tag,
      digest: digest,
    },
    { requiredKeys: ['path'] },
  )
  .filter((r) => name(r).length <= MAX_NAME_LENGTH);

/** A registry prefix people write, or none. */
const prefix = fc.constantFrom('', 'docker.io/', 'index.docker.io/', 'docker.io/library/', 'localhost/', 'Foo/', 'example.com:5000/');

/** Strings shaped like what people type: familiar names, hosts, tags, digests. */
const typed = fc.oneof(
  reference.map(formatReference),
  fc
    .tuple(
      prefix,
      fc.array(pathComponent, { minLength: 1, maxLength: 3 }),
      fc.option(tag, { nil: undefined }),
      fc.option(digest, { nil: undefined }),
    )
    .map(([p, cs, t, d]) => `${p}${cs.join('/')}${t === undefined ? '' : `:${t}`}${d === undefined ? '' : `@${d}`}`),
  fc.constantFrom('busybox', 'index.docker.io/busybox', 'docker.io/busybox:1', 'localhost/x', 'Foo/bar', 'docker.io/a.b/c'),
);

/** Strings from the grammar's alphabet, to reach deep into the parser with near-misses. */
const nearMiss = fc.string({ unit: fc.constantFrom(...'aAz09._-/:@[]%+~ '), maxLength: 40 });

/** Valid references with one character changed, inserted or deleted. */
const mutated = fc
  .tuple(reference.map(formatReference), fc.nat(), fc.string({ unit: 'binary', maxLength: 2 }), fc.nat(2))
  .map(([s, at, insert, drop]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + insert + s.slice(i + drop);
  });

const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary-ascii' }),
  nearMiss,
  mutated,
  typed,
);

/** Calls `fn`; a thrown error must be an InvalidArgument ImagedError. Reports whether it returned. */
function returnsOrRefuses(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (!(err instanceof ImagedError) || err.kind !== 'InvalidArgument') throw err;
    expect(err.message).toMatch(/^invalid (reference|digest|tag) /);
    return false;
  }
}

test('every parser returns a value or throws InvalidArgument, whatever the input', () => {
  fc.assert(
    fc.property(anyString, (s) => {
      expect(returnsOrRefuses(() => parseReference(s))).toBe(tryParseReference(s) !== undefined);
      expect(returnsOrRefuses(() => parseNormalizedNamed(s))).toBe(tryParseNormalizedNamed(s) !== undefined);
      returnsOrRefuses(() => parseDockerRef(s));
      returnsOrRefuses(() => parseNamed(s));
      returnsOrRefuses(() => parseAnyReference(s));
    }),
    { numRuns: 3000 },
  );
});

test('parseReference(formatReference(r)) gives r back', () => {
  fc.assert(
    fc.property(reference, (r) => {
      const s = formatReference(r);
      const parsed = parseReference(s);
      expect(formatReference(parsed)).toBe(s);
      expect(name(parsed)).toBe(name(r));
      expect(parsed.tag).toBe(r.tag);
      expect(parsed.digest).toBe(r.digest);
      // Without a domain, a leading component that is a valid host is read as the domain.
      if (r.domain !== undefined) expect(parsed).toEqual(r);
    }),
    RUNS,
  );
});

test('a parsed reference always formats back to its input', () => {
  fc.assert(
    fc.property(anyString, (s) => {
      const ref = tryParseReference(s);
      if (ref !== undefined) expect(formatReference(ref)).toBe(s);
    }),
    RUNS,
  );
});

test('normalization is idempotent and its output is fully qualified', () => {
  fc.assert(
    fc.property(fc.oneof(typed, anyString), (s) => {
      const n = tryParseNormalizedNamed(s);
      if (n === undefined) return;
      expect(n.domain).toBeDefined();
      const full = formatReference(n);
      expect(parseNormalizedNamed(full)).toEqual(n);
      expect(parseNamed(full)).toEqual(n);
      expect(parseReference(full)).toEqual(n);
      const pulled = parseDockerRef(s);
      expect(parseDockerRef(formatReference(pulled))).toEqual(pulled);
      expect(pulled.tag === undefined).toBe(pulled.digest !== undefined);
    }),
    RUNS,
  );
});

test('the familiar form normalizes back to the same reference', () => {
  fc.assert(
    fc.property(typed, (s) => {
      const n = tryParseNormalizedNamed(s);
      if (n === undefined) return;
      const familiar = familiarString(n);
      expect(parseNormalizedNamed(familiar)).toEqual(n);
      expect(familiarString(parseNormalizedNamed(familiar))).toBe(familiar);
    }),
    RUNS,
  );
});

test.each([
  ['long component', `${'a'.repeat(200_000)}!`],
  ['long separated component', `${'a-'.repeat(100_000)}!`],
  ['long underscores', `a${'_'.repeat(100_000)}a`],
  ['long domain', `${'a.'.repeat(100_000)}/x`],
  ['long dashed domain', `${'a-'.repeat(100_000)}:x/y`],
  ['long ipv6', `[${':'.repeat(200_000)}/x`],
  ['long tag', `x:${'t'.repeat(200_000)}!`],
  ['long digest', `x@sha256:${'f'.repeat(200_000)}`],
  ['many slashes', `${'a/'.repeat(100_000)}A`],
])('a %s is refused quickly', (_, input) => {
  const start = performance.now();
  expect(tryParseReference(input)).toBeUndefined();
  expect(tryParseNormalizedNamed(input)).toBeUndefined();
  expect(performance.now() - start).toBeLessThan(500);
});
