/** Properties that must hold for every input, checked with fast-check. */
import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import {
  adaptFields,
  dottedKeys,
  equalSelector,
  Filter,
  formatFilter,
  labelledFields,
  matchesSelector,
  notEqualSelector,
  parseFilter,
  parseFilters,
  presentSelector,
  type Selector,
} from '../../src/filters/index.js';

const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);

/** Pieces that reach every corner of the scanner, the parser and the regexp translator. */
const PIECES = [
  'name', 'labels', 'a', 'x-y', '0', '.', ',', ' ', '\t', '==', '!=', '~=', '=', '!', '~', '"', '/', '|', '\\',
  '"x y"', '"a\\"b"', '"\\x41"', '"\\q"', '"\\400"', '"\\xff"', '/a\\/b/', '|c\\|d|', '`', "'", '\u0000', '\uFFFD',
  '牛', '😀', '\u200b', '(', ')', '[', ']', '{', '}', '*', '+', '?', '^', '$', '(?i)', '(?P<n>', '\\p{Greek}',
  '\\pL', '\\d', '\\Q', '\\E', '{2,1}', '{1001}', '[:alpha:]', '\\x{110000}', '(?=', '\n', '\uD800',
];

const filterish = fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(''));
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  filterish,
);

const parseOutcome = (input: string): Filter | 'invalid' => {
  try {
    return parseFilter(input);
  } catch (err) {
    if (err instanceof ImagedError && err.kind === 'InvalidArgument' && err.message.startsWith('filters: parse error: ')) {
      return 'invalid';
    }
    throw err;
  }
};

/** Go regexps that are always valid, built from a small grammar. */
const goRegexp: fc.Arbitrary<string> = fc.letrec<{ re: string }>((tie) => ({
  re: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'K', '牛', '.', '\\d', '\\w', '\\s', '\\pL', '\\p{Greek}', '[a-z]', '[^,]', '\\.', '^', '$', '\\b', '[[:alpha:]]', '\\x{212a}', '\\Q*\\E'),
    tie('re').map((r) => `(${r})`),
    tie('re').map((r) => `(?:${r})`),
    tie('re').map((r) => `(?i:${r})`),
    fc.tuple(tie('re'), tie('re')).map(([x, y]) => x + y),
    fc.tuple(tie('re'), tie('re')).map(([x, y]) => `${x}|${y}`),
    fc.tuple(tie('re'), fc.constantFrom('*', '+', '?', '*?', '{1,3}', '{2}')).map(([x, q]) => `(?:${x})${q}`),
  ),
})).re;

const segment = fc.oneof(fc.constantFrom('name', 'labels', 'io', 'cri-containerd', 'a.b', 'x y', ''), fc.string({ maxLength: 8 }));
const fieldpath = fc.array(segment.filter(wellFormed), { minLength: 1, maxLength: 4 });
const value = fc.oneof(fc.constantFrom('', 'foo', 'x y', 'a,b', '"', '\\', '/x/', '\uFFFD'), fc.string({ unit: 'binary', maxLength: 12 })).filter(wellFormed);

const selector: fc.Arbitrary<Selector> = fc.oneof(
  fieldpath.map(presentSelector),
  fc.tuple(fieldpath, value).map(([p, v]) => equalSelector(p, v)),
  fc.tuple(fieldpath, value).map(([p, v]) => notEqualSelector(p, v)),
  fc.tuple(fieldpath, goRegexp).map(([p, r]) => matchesSelector(p, r)),
);

const clause = fc.array(selector, { minLength: 1, maxLength: 5 });

const fieldTree = fc.record({
  name: value,
  labels: fc.dictionary(fc.oneof(fc.constantFrom('a.b', 'x y', 'io.cri-containerd.image'), fc.string({ maxLength: 6 })), value).map(dottedKeys),
  target: fc.record({ digest: value, size: fc.integer() }),
});

describe('parseFilter on arbitrary input', () => {
  test('returns a Filter or throws an InvalidArgument parse error, nothing else', () => {
    fc.assert(
      fc.property(anyString, (input) => {
        const outcome = parseOutcome(input);
        expect(outcome === 'invalid' || outcome instanceof Filter).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  test('parseFilters fails exactly when one of its strings fails', () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 4 }), (list) => {
        const expectInvalid = list.some((s) => parseOutcome(s) === 'invalid');
        let invalid = false;
        try {
          parseFilters(list);
        } catch (err) {
          expect(err).toBeInstanceOf(ImagedError);
          expect((err as ImagedError).kind).toBe('InvalidArgument');
          invalid = true;
        }
        expect(invalid).toBe(expectInvalid);
      }),
      { numRuns: 3000 },
    );
  });

  test('whatever parses, formats to a string that parses to the same filter', () => {
    fc.assert(
      fc.property(anyString, (input) => {
        const parsed = parseOutcome(input);
        if (parsed === 'invalid') return;
        expect(parseFilter(formatFilter(parsed))).toEqual(parsed);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('generated filters', () => {
  test('format then parse gives back the same filter', () => {
    fc.assert(
      fc.property(clause, (selectors) => {
        const filter = new Filter([selectors]);
        const text = formatFilter(filter);
        expect(parseFilter(text)).toEqual(filter);
        expect(formatFilter(parseFilter(text))).toBe(text);
      }),
      { numRuns: 3000 },
    );
  });

  test('matching never throws and agrees with the formatted-and-parsed filter', () => {
    fc.assert(
      fc.property(fc.array(clause, { minLength: 1, maxLength: 3 }), fieldTree, (clauses, tree) => {
        const filter = new Filter(clauses);
        const adaptor = adaptFields(tree);
        const again = new Filter(clauses.map((c) => parseFilter(formatFilter(new Filter([c]))).clauses[0] ?? []));
        expect(again.match(adaptor)).toBe(filter.match(adaptor));
      }),
      { numRuns: 3000 },
    );
  });

  test('matching arbitrary parsed filters against arbitrary objects never throws', () => {
    fc.assert(
      fc.property(anyString, fc.dictionary(fc.string({ maxLength: 6 }), value), fc.dictionary(fc.string({ maxLength: 6 }), value), (input, fields, labels) => {
        const parsed = parseOutcome(input);
        if (parsed === 'invalid') return;
        expect(typeof parsed.match(labelledFields(fields, labels))).toBe('boolean');
      }),
      { numRuns: 10000 },
    );
  });
});
