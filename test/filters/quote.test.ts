/** Go-style quoted literals: decoding, encoding, and the two agreeing. */
import fc from 'fast-check';
import { quote, QuoteSyntaxError, tokenize, unquote } from '../../src/filters/index.js';

const wellFormed = (s: string): boolean => !/\p{Cs}/u.test(s);

describe('unquote', () => {
  test.each([
    ['"abc"', 'abc'],
    ['""', ''],
    ['"a b, c"', 'a b, c'],
    ['"\\a\\b\\f\\n\\r\\t\\v\\\\\\""', '\u0007\b\f\n\r\t\v\\"'],
    ['"\\101\\x42\\u00e9\\U0001F600"', 'AB\u00e9\u{1F600}'],
    ['"\\xe7\\x89\\x9b"', '牛'],
    ['"\\ud800"', '\uFFFD'],
    ['"牛😀"', '牛😀'],
    ['/a\\/b/', 'a/b'],
    ['/a"b|c/', 'a"b|c'],
    ['|a\\|b|', 'a|b'],
    ['|a/b|', 'a/b'],
  ])('%s', (literal, expected) => {
    expect(unquote(literal)).toBe(expected);
  });

  test.each([
    ['abc', 0, 'not a quoted literal'],
    ['"abc', 0, 'not a quoted literal'],
    ['"a"b"', 2, 'unescaped delimiter or newline inside quotes'],
    ['"a\nb"', 2, 'unescaped delimiter or newline inside quotes'],
    ['"\\q"', 1, 'unknown escape \\q'],
    ['"\\/"', 1, 'unknown escape \\/'],
    ['/\\"/', 1, 'unknown escape \\"'],
    ['"\\x4"', 1, 'expected 2 hex digits after \\x'],
    ['"\\400"', 1, 'octal escape \\400 is above \\377'],
    ['"\\12"', 1, 'octal escapes need exactly three digits (\\000 to \\377)'],
    ['"\\U00110000"', 1, '\\U00110000 is beyond U+10FFFF'],
    ['"ok\\xff"', 3, 'byte escapes (\\x.. or octal) do not form valid UTF-8'],
    ['"\\xe7\\x89x"', 1, 'byte escapes (\\x.. or octal) do not form valid UTF-8'],
  ])('%j is refused', (literal, offset, message) => {
    expect.assertions(3);
    try {
      unquote(literal);
    } catch (err) {
      expect(err).toBeInstanceOf(QuoteSyntaxError);
      expect((err as QuoteSyntaxError).offset).toBe(offset);
      expect((err as QuoteSyntaxError).message).toBe(message);
    }
  });
});

describe('quote', () => {
  test.each([
    ['abc', '"abc"'],
    ['', '""'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\u0007\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\u0000\u0001\u007f', '"\\x00\\x01\\x7f"'],
    ['\u0085\u200b\u2028', '"\\u0085\\u200b\\u2028"'],
    ['\u{E0001}', '"\\U000e0001"'],
    ['\uFFFD', '"\\ufffd"'],
    ['\uD800x', '"\\ufffdx"'],
    ['牛 é 😀 \u00a0', '"牛 é 😀 \u00a0"'],
    ['/|,.=', '"/|,.="'],
  ])('%j', (value, expected) => {
    expect(quote(value)).toBe(expected);
  });

  test('round-trips every well-formed string and scans as one token', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary-ascii' })).filter(wellFormed),
        (value) => {
          const literal = quote(value);
          expect(unquote(literal)).toBe(value);
          expect(tokenize(literal).map((t) => t.kind)).toEqual(['quoted', 'eof']);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
