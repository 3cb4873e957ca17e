/**
 * Parsing and matching. The corpus and the first table are containerd's filter test vectors
 * (pkg/filters/filter_test.go), rewritten as our own tables; the rest pin down behaviour that
 * upstream has but does not test (checked against containerd's parser).
 */
import { ImagedError } from '../../src/errdefs/index.js';
import {
  type Adaptor,
  Filter,
  parseFilter,
  parseFilters,
  tryParseFilter,
} from '../../src/filters/index.js';

interface Entry {
  readonly name: string;
  readonly other?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

const corpus: readonly Entry[] = [
  { name: 'foo', labels: { foo: 'true' } },
  { name: 'bar' },
  { name: 'foo', labels: { foo: 'present', 'more complex label': 'present' } },
  { name: 'bar', labels: { bar: 'true' } },
  { name: 'fooer', labels: { 'more complex label with \\ and "': 'present' } },
  { name: 'fooer', labels: { 'more complex label with \\ and ".post': 'present' } },
  { name: 'baz', other: 'too complex, yo' },
  { name: 'bazo', other: 'abc' },
  { name: 'compound', labels: { foo: 'omg_asdf.asdf-qwer' } },
];

/** The adaptor of the upstream test: only the first path element selects the field. */
const adapt = (entry: Entry): Adaptor => ({
  field(path) {
    switch (path[0]) {
      case 'name':
        return entry.name === '' ? undefined : entry.name;
      case 'other':
        return entry.other === undefined || entry.other === '' ? undefined : entry.other;
      case 'labels': {
        const key = path.slice(1).join('.');
        return entry.labels !== undefined && Object.hasOwn(entry.labels, key) ? entry.labels[key] : undefined;
      }
      default:
        return undefined;
    }
  },
});

const matching = (filter: Filter): number[] =>
  corpus.flatMap((entry, index) => (filter.match(adapt(entry)) ? [index] : []));

const errorOf = (run: () => unknown): ImagedError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ImagedError) return err;
    throw err;
  }
  throw new Error('expected an error');
};

const ALL = corpus.map((_, i) => i);

describe('parseFilter matches like containerd', () => {
  test.each([
    ['empty', '', ALL],
    ['present', 'name', ALL],
    ['label present', 'labels.foo', [0, 2, 8]],
    ['name and label present', 'labels.foo,name', [0, 2, 8]],
    ['label value', 'labels.foo==true', [0]],
    ['punctuated label value', 'labels.foo==omg_asdf.asdf-qwer', [8]],
    ['name', 'name==bar', [1, 3]],
    ['name not equal', 'name!=bar', [0, 2, 4, 5, 6, 7, 8]],
    ['name and label', 'name==bar,labels.bar', [3]],
    ['quoted value', 'other=="too complex, yo"', [6]],
    ['regexp value', 'other~=[abc]+,name!=foo', [6, 7]],
    ['slash-quoted regexp', 'other~=/[abc]+/,name!=foo', [6, 7]],
    ['slash-quoted regexp with a count', 'other~=/[abc]{1,2}/,name!=foo', [6, 7]],
    ['slash-quoted regexp that matches nothing', 'other~=/[abc]{0,1}"\\//,name!=foo', []],
    ['name and label value', 'name==bar,labels.bar==true', [3]],
    ['name and label value, no match', 'name==bar,labels.bar==wrong', []],
    ['quoted field path', 'name==foo,labels."more complex label"', [2]],
    ['quoted field path with escapes', 'labels."more complex label with \\\\ and \\""==present', [4]],
    ['quoted field path followed by a field', 'labels."more complex label with \\\\ and \\"".post==present', [5]],
  ])('%s: %s', (_name, input, expected) => {
    expect(matching(parseFilter(input))).toEqual(expected);
  });
});

describe('parseFilter errors like containerd', () => {
  test.each([
    ['|…| quoting in a field', 'labels.|foo|==omg_asdf.asdf-qwer', 'filters: parse error: [labels. >|||< foo|==omg_asdf.asdf-qwer]: invalid quote encountered'],
    ['a stray character in a field path', 'labels.?"more complex label with \\\\ and \\"".post==present', 'filters: parse error: [labels. >|?|< "more complex label with \\\\ and \\"".post==present]: expected field or quoted'],
    ['trailing comma', 'name==foo,', 'filters: parse error: [name==foo,]: expected field or quoted'],
    ['trailing field separator', 'labels.', 'filters: parse error: [labels.]: expected field or quoted'],
    ['missing value', 'image~=,id?=?fbaq', 'filters: parse error: [image~= >|,|< id?=?fbaq]: expected value or quoted'],
    ['slash in a field', 'labels.ns/key==value', 'filters: parse error: [labels.ns >|/|< key==value]: quoted literal not terminated'],
    ['unterminated slash in a value', 'labels.key==/value', 'filters: parse error: [labels.key== >|/|< value]: quoted literal not terminated'],
    // Checked against containerd's parser:
    ['only spaces', '   ', 'filters: parse error: [   ]: expected field or quoted'],
    ['missing operator after space', 'labels.foo ', 'filters: parse error: [labels.foo ]: expected an operator ("=="|"!="|"~=")'],
    ['space before a comma', 'name ,x', 'filters: parse error: [name  >|,|< x]: expected an operator ("=="|"!="|"~=")'],
    ['/…/ after ==', 'name==/foo/', 'filters: parse error: [name== >|/|< foo/]: invalid quote encountered'],
    ['a value that starts with an operator', 'name== =x', 'filters: parse error: [name==  >|=|< x]: expected value or quoted'],
    ['a value that starts with a dot', 'name==.x', 'filters: parse error: [name== >|.|< x]: expected value or quoted'],
    ['NUL', 'na\u0000me', 'filters: parse error: [na >|\u0000|< me]: unexpected null'],
    ['U+FFFD', 'name==a\uFFFD', 'filters: parse error: [name==a >|\uFFFD|< ]: unexpected input: "\uFFFD" (expected "," and another selector, or the end of the filter)'],
  ])('%s', (_name, input, message) => {
    const err = errorOf(() => parseFilter(input));
    expect(err.kind).toBe('InvalidArgument');
    expect(err.message).toBe(message);
  });
});

describe('parseFilter errors say what was expected', () => {
  test.each([
    ['trailing space', 'name==foo ', 'filters: parse error: [name==foo >| |< ]: unexpected input: " " (expected "," and another selector, or the end of the filter)'],
    ['single =', 'name=foo', 'filters: parse error: [name >|=|< foo]: unsupported operator "=" (expected "==", "!=" or "~=")'],
    ['===', 'name===foo', 'filters: parse error: [name >|=|< ==foo]: unsupported operator "===" (expected "==", "!=" or "~=")'],
    ['illegal escape points at the backslash', 'labels."a\\qb"', 'filters: parse error: [labels."a >|\\|< qb"]: illegal escape sequence'],
    ['regexp-quoted escapes get a hint', 'name~=/a\\.b/', 'filters: parse error: [name~=/a >|\\|< .b/]: illegal escape sequence (inside /…/ only \\/ and Go string escapes are allowed: write \\\\ for a regexp backslash, or leave the value unquoted)'],
    ['octal above \\377', 'x=="\\400"', 'filters: parse error: [x==" >|\\|< 400"]: unquoting failed: octal escape \\400 is above \\377'],
    ['\\U beyond U+10FFFF', 'x=="\\U00110000"', 'filters: parse error: [x==" >|\\|< U00110000"]: unquoting failed: \\U00110000 is beyond U+10FFFF'],
    ['byte escapes that are not UTF-8', 'x=="a\\xff"', 'filters: parse error: [x=="a >|\\|< xff"]: unquoting failed: byte escapes (\\x.. or octal) do not form valid UTF-8'],
    ['a bad regexp is reported at parse time', 'name~=(a', 'filters: parse error: [name~= >|(|< a]: error parsing regexp: missing closing ): `(a`'],
    ['Perl lookahead is not Go syntax', 'name~="(?=a)"', 'filters: parse error: [name~= >|"|< (?=a)"]: error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['backreferences are not Go syntax', 'name~=(a)\\1', 'filters: parse error: [name~= >|(|< a)\\1]: error parsing regexp: invalid escape sequence: `\\1`'],
    ['the marker covers a whole astral character', 'a==b\u{E0001}', 'filters: parse error: [a==b >|\u{E0001}|< ]: unexpected input: "\u{E0001}" (expected "," and another selector, or the end of the filter)'],
  ])('%s', (_name, input, message) => {
    const err = errorOf(() => parseFilter(input));
    expect(err.kind).toBe('InvalidArgument');
    expect(err.message).toBe(message);
  });
});

describe('grammar details (as containerd)', () => {
  const fields = (input: string): unknown =>
    parseFilter(input).clauses.map((clause) =>
      clause.map((s) => ({ kind: s.kind, fieldpath: s.fieldpath, value: s.kind === 'present' ? undefined : s.value })),
    );

  test.each([
    ['spaces before fields, operators and values', '  name ==  foo, labels.a', [[
      { kind: 'equal', fieldpath: ['name'], value: 'foo' },
      { kind: 'present', fieldpath: ['labels', 'a'], value: undefined },
    ]]],
    ['fields may contain - and start with a digit', 'labels.io.cri-containerd.image==managed,0x', [[
      { kind: 'equal', fieldpath: ['labels', 'io', 'cri-containerd', 'image'], value: 'managed' },
      { kind: 'present', fieldpath: ['0x'], value: undefined },
    ]]],
    ['a value runs to the next comma or space and may hold = . / ~', 'a==b=c.d/e~f', [[{ kind: 'equal', fieldpath: ['a'], value: 'b=c.d/e~f' }]]],
    ['backquotes are ordinary value characters', 'a==`b`', [[{ kind: 'equal', fieldpath: ['a'], value: '`b`' }]]],
    ['single quotes are ordinary value characters', "a=='b'", [[{ kind: 'equal', fieldpath: ['a'], value: "'b'" }]]],
    ['an empty quoted value', 'a==""', [[{ kind: 'equal', fieldpath: ['a'], value: '' }]]],
    ['an empty quoted field', '"".""', [[{ kind: 'present', fieldpath: ['', ''], value: undefined }]]],
    ['Go escapes in quotes', 'a=="\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\101\\x42\\u00e9\\U0001F600"', [[
      { kind: 'equal', fieldpath: ['a'], value: '\u0007\b\f\n\r\t\v\\"AB\u00e9\u{1F600}' },
    ]]],
    ['byte escapes forming UTF-8', 'a=="\\xe7\\x89\\x9b"', [[{ kind: 'equal', fieldpath: ['a'], value: '牛' }]]],
    ['a \\u escape of a surrogate decodes to U+FFFD', 'a=="\\ud800"', [[{ kind: 'equal', fieldpath: ['a'], value: '\uFFFD' }]]],
    ['|…| and /…/ after ~=', 'a~=|x/y|,b~=/x\\/y/,c~=|x\\|y|', [[
      { kind: 'matches', fieldpath: ['a'], value: 'x/y' },
      { kind: 'matches', fieldpath: ['b'], value: 'x/y' },
      { kind: 'matches', fieldpath: ['c'], value: 'x|y' },
    ]]],
    ['a bare regexp keeps its backslashes', 'a~=^x\\.y$', [[{ kind: 'matches', fieldpath: ['a'], value: '^x\\.y$' }]]],
  ])('%s', (_name, input, expected) => {
    expect(fields(input)).toEqual(expected);
  });
});

describe('operators', () => {
  const subject = (fields: Readonly<Record<string, string>>): Adaptor => ({
    field: (path) => (path.length === 1 && Object.hasOwn(fields, path[0] ?? '') ? fields[path[0] ?? ''] : undefined),
  });
  const present = subject({ name: 'foo', empty: '' });

  test.each([
    ['presence of a field', 'name', true],
    ['presence of an empty-valued field', 'empty', true],
    ['presence of an absent field', 'missing', false],
    ['== equal', 'name==foo', true],
    ['== different', 'name==bar', false],
    ['== absent field never matches', 'missing==""', false],
    ['!= different', 'name!=bar', true],
    ['!= equal', 'name!=foo', false],
    ['!= absent field differs from a non-empty value', 'missing!=foo', true],
    ['!= absent field reads as "" (containerd)', 'missing!=""', false],
    ['~= searches anywhere', 'name~=o', true],
    ['~= anchored', 'name~=^o', false],
    ['~= absent field reads as ""', 'missing~=^$', true],
    ['~= absent field does not match a non-empty pattern', 'missing~="."', false],
    ['~= (?i)', 'name~=(?i)^FOO$', true],
  ])('%s: %s', (_name, input, expected) => {
    expect(parseFilter(input).match(present)).toBe(expected);
  });
});

describe('parseFilters', () => {
  const entry = adapt({ name: 'foo', labels: { a: 'x' } });

  test.each([
    ['no filters match everything', [], true],
    ['an empty filter matches everything', ['name==bar', ''], true],
    ['filters are alternatives (OR)', ['name==bar', 'labels.a==x'], true],
    ['no alternative matches', ['name==bar', 'labels.a==y'], false],
    ['commas inside one filter are AND', ['name==foo,labels.a==y'], false],
  ])('%s', (_name, list, expected) => {
    expect(parseFilters(list).match(entry)).toBe(expected);
  });

  test('the first invalid filter is reported', () => {
    const err = errorOf(() => parseFilters(['name==foo', 'name==', 'x==']));
    expect(err.kind).toBe('InvalidArgument');
    expect(err.message).toBe('filters: parse error: [name==]: expected value or quoted');
  });

  test('an empty list and "" give the always filter', () => {
    expect(parseFilters([])).toBe(Filter.always);
    expect(parseFilter('')).toBe(Filter.always);
    expect(Filter.always.matchesEverything).toBe(true);
    expect(parseFilters(['a', '']).matchesEverything).toBe(true);
    expect(parseFilter('a').matchesEverything).toBe(false);
    expect(new Filter([]).match(entry)).toBe(false);
  });
});

describe('tryParseFilter', () => {
  test.each([
    ['name==foo', true],
    ['name==', false],
    ['name~=(', false],
    ['', true],
  ])('%s', (input, ok) => {
    expect(tryParseFilter(input) !== undefined).toBe(ok);
  });
});
