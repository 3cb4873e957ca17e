/**
 * Token streams. The cases are containerd's scanner test vectors (pkg/filters/scanner_test.go),
 * rewritten as our own table; positions are UTF-16 offsets, so they differ from upstream's byte
 * offsets only where the input has non-ASCII characters (the 牛 cases).
 */
import { tokenize, type TokenKind } from '../../src/filters/index.js';

type Expected = readonly [pos: number, kind: TokenKind, text: string, error?: string];

const eof = (pos: number): Expected => [pos, 'eof', ''];

const cases: readonly (readonly [name: string, input: string, tokens: readonly Expected[]])[] = [
  ['field', 'name', [[0, 'field', 'name'], eof(4)]],
  [
    'selectors with operators',
    'name==value,foo!=bar',
    [
      [0, 'field', 'name'],
      [4, 'operator', '=='],
      [6, 'value', 'value'],
      [11, 'separator', ','],
      [12, 'field', 'foo'],
      [15, 'operator', '!='],
      [17, 'value', 'bar'],
      eof(20),
    ],
  ],
  [
    'selectors with field paths',
    'name==value,labels.foo=value,other.bar~=match',
    [
      [0, 'field', 'name'],
      [4, 'operator', '=='],
      [6, 'value', 'value'],
      [11, 'separator', ','],
      [12, 'field', 'labels'],
      [18, 'separator', '.'],
      [19, 'field', 'foo'],
      [22, 'operator', '='],
      [23, 'value', 'value'],
      [28, 'separator', ','],
      [29, 'field', 'other'],
      [34, 'separator', '.'],
      [35, 'field', 'bar'],
      [38, 'operator', '~='],
      [40, 'value', 'match'],
      eof(45),
    ],
  ],
  [
    'regexp value',
    'name~=[abc]+,foo=test',
    [
      [0, 'field', 'name'],
      [4, 'operator', '~='],
      [6, 'value', '[abc]+'],
      [12, 'separator', ','],
      [13, 'field', 'foo'],
      [16, 'operator', '='],
      [17, 'value', 'test'],
      eof(21),
    ],
  ],
  [
    'regexp value with a backslash',
    'name~=[abc]\\+,foo=test',
    [
      [0, 'field', 'name'],
      [4, 'operator', '~='],
      [6, 'value', '[abc]\\+'],
      [13, 'separator', ','],
      [14, 'field', 'foo'],
      [17, 'operator', '='],
      [18, 'value', 'test'],
      eof(22),
    ],
  ],
  [
    'slash-quoted regexp',
    'name~=/[abc]{0,2}/,foo=test',
    [
      [0, 'field', 'name'],
      [4, 'operator', '~='],
      [6, 'quoted', '/[abc]{0,2}/'],
      [18, 'separator', ','],
      [19, 'field', 'foo'],
      [22, 'operator', '='],
      [23, 'value', 'test'],
      eof(27),
    ],
  ],
  [
    'non-ASCII value',
    'name~=牛,labels.moo=true',
    [
      [0, 'field', 'name'],
      [4, 'operator', '~='],
      [6, 'value', '牛'],
      [7, 'separator', ','],
      [8, 'field', 'labels'],
      [14, 'separator', '.'],
      [15, 'field', 'moo'],
      [18, 'operator', '='],
      [19, 'value', 'true'],
      eof(23),
    ],
  ],
  [
    'pipe-quoted non-ASCII regexp',
    'name~=|牛|,labels.moo=true',
    [
      [0, 'field', 'name'],
      [4, 'operator', '~='],
      [6, 'quoted', '|牛|'],
      [9, 'separator', ','],
      [10, 'field', 'labels'],
      [16, 'separator', '.'],
      [17, 'field', 'moo'],
      [20, 'operator', '='],
      [21, 'value', 'true'],
      eof(25),
    ],
  ],
  ['escapes', 'name~="asdf\\n\\tfooo"', [[0, 'field', 'name'], [4, 'operator', '~='], [6, 'quoted', '"asdf\\n\\tfooo"'], eof(20)]],
  [
    'NUL is illegal',
    'foo\u0000bar',
    [[0, 'field', 'foo'], [3, 'illegal', '\u0000', 'unexpected null'], [4, 'field', 'bar'], eof(7)],
  ],
  ['spaces are skipped', 'foo = bar    ', [[0, 'field', 'foo'], [4, 'operator', '='], [6, 'value', 'bar'], eof(13)]],
  [
    'punctuated values',
    'compound.labels==punctuated_value.foo-bar',
    [
      [0, 'field', 'compound'],
      [8, 'separator', '.'],
      [9, 'field', 'labels'],
      [15, 'operator', '=='],
      [17, 'value', 'punctuated_value.foo-bar'],
      eof(41),
    ],
  ],
  ['partial input', 'interrupted=', [[0, 'field', 'interrupted'], [11, 'operator', '='], eof(12)]],
  [
    'a value ends at a space; what follows is a field again',
    'doublevalue=value value',
    [[0, 'field', 'doublevalue'], [11, 'operator', '='], [12, 'value', 'value'], [18, 'field', 'value'], eof(23)],
  ],
  [
    'leading quoted field',
    '"leading quote".postquote==value',
    [
      [0, 'quoted', '"leading quote"'],
      [15, 'separator', '.'],
      [16, 'field', 'postquote'],
      [25, 'operator', '=='],
      [27, 'value', 'value'],
      eof(32),
    ],
  ],
  [
    'missing value',
    'input==,id!=ff',
    [
      [0, 'field', 'input'],
      [5, 'operator', '=='],
      [7, 'separator', ','],
      [8, 'field', 'id'],
      [10, 'operator', '!='],
      [12, 'value', 'ff'],
      eof(14),
    ],
  ],
  [
    'slash-quoted regexp with an escaped slash',
    'input~=/foo\\/bar/,id!=ff',
    [
      [0, 'field', 'input'],
      [5, 'operator', '~='],
      [7, 'quoted', '/foo\\/bar/'],
      [17, 'separator', ','],
      [18, 'field', 'id'],
      [20, 'operator', '!='],
      [22, 'value', 'ff'],
      eof(24),
    ],
  ],
  [
    'pipe-quoted regexp containing a slash',
    'input~=|foo/bar|,id!=ff',
    [
      [0, 'field', 'input'],
      [5, 'operator', '~='],
      [7, 'quoted', '|foo/bar|'],
      [16, 'separator', ','],
      [17, 'field', 'id'],
      [19, 'operator', '!='],
      [21, 'value', 'ff'],
      eof(23),
    ],
  ],
  [
    'a slash in a field opens an unterminated literal',
    'labels.containerd.io/key==value',
    [
      [0, 'field', 'labels'],
      [6, 'separator', '.'],
      [7, 'field', 'containerd'],
      [17, 'separator', '.'],
      [18, 'field', 'io'],
      [20, 'illegal', '/key==value', 'quoted literal not terminated'],
      eof(31),
    ],
  ],
  [
    'a newline ends a quoted literal',
    'labels."containerd.io\nkey"==value',
    [
      [0, 'field', 'labels'],
      [6, 'separator', '.'],
      [7, 'illegal', '"containerd.io\n', 'quoted literal not terminated'],
      [22, 'field', 'key'],
      [25, 'illegal', '"==value', 'quoted literal not terminated'],
      eof(33),
    ],
  ],
  [
    'illegal escape',
    'labels."\\g"',
    [[0, 'field', 'labels'], [6, 'separator', '.'], [7, 'illegal', '"\\g"', 'illegal escape sequence'], eof(11)],
  ],
  [
    'illegal numeric escape',
    'labels."\\xaz"',
    [[0, 'field', 'labels'], [6, 'separator', '.'], [7, 'illegal', '"\\xaz"', 'illegal numeric escape sequence'], eof(13)],
  ],
  // Our own cases.
  [
    'backquotes are not quotes',
    'a==`b c`',
    [[0, 'field', 'a'], [1, 'operator', '=='], [3, 'value', '`b'], [6, 'field', 'c'], [7, 'char', '`'], eof(8)],
  ],
  ['U+FFFD is illegal', 'a\uFFFD', [[0, 'field', 'a'], [1, 'illegal', '\uFFFD', 'rune error (invalid UTF-8 or U+FFFD)'], eof(2)]],
  ['an unpaired surrogate is illegal', 'a\uD800', [[0, 'field', 'a'], [1, 'illegal', '\uD800', 'rune error (unpaired UTF-16 surrogate)'], eof(2)]],
  ['an astral character in a value', 'a==x😀y', [[0, 'field', 'a'], [1, 'operator', '=='], [3, 'value', 'x😀y'], eof(7)]],
  ['a control character starts a value but does not continue one', 'a==\u0001b\u0001', [[0, 'field', 'a'], [1, 'operator', '=='], [3, 'value', '\u0001b'], [5, 'char', '\u0001'], eof(6)]],
  ['octal and unicode escapes', 'a=="\\101\\u00e9\\U0001F600"', [[0, 'field', 'a'], [1, 'operator', '=='], [3, 'quoted', '"\\101\\u00e9\\U0001F600"'], eof(25)]],
  ['a short octal escape', 'a=="\\12"', [[0, 'field', 'a'], [1, 'operator', '=='], [3, 'illegal', '"\\12"', 'illegal numeric escape sequence'], eof(8)]],
  ['a backslash at the end', 'a=="\\', [[0, 'field', 'a'], [1, 'operator', '=='], [3, 'illegal', '"\\', 'illegal escape sequence'], eof(5)]],
  ['a NUL inside quotes', 'a=="x\u0000y"', [[0, 'field', 'a'], [1, 'operator', '=='], [3, 'illegal', '"x\u0000', 'unexpected null'], [6, 'value', 'y"'], eof(8)]],
];

describe('tokenize', () => {
  test.each(cases)('%s', (_name, input, expected) => {
    const tokens = tokenize(input).map((t): Expected =>
      t.error === undefined ? [t.pos, t.kind, t.text] : [t.pos, t.kind, t.text, t.error.message],
    );
    expect(tokens).toEqual(expected);
  });

  test.each([
    ['an illegal escape points at its backslash', 'labels."ab\\g"', 10],
    ['an unterminated literal points at its opening quote', 'a=="abc', 3],
    ['a NUL points at itself', 'a=="x\u0000"', 5],
  ])('%s', (_name, input, pos) => {
    const illegal = tokenize(input).find((t) => t.kind === 'illegal');
    expect(illegal?.error?.pos).toBe(pos);
  });
});
