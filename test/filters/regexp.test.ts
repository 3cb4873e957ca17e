/**
 * Go regular expressions translated to JavaScript. Every expectation here is what Go's regexp
 * package answers (checked against Go's implementation); the point is that ours answers the same.
 */
import { ImagedError } from '../../src/errdefs/index.js';
import { compileGoRegexp, RegexpError, translateGoRegexp } from '../../src/filters/index.js';

const goMatch = (pattern: string, input: string): boolean => translateGoRegexp(pattern).test(input);

const failure = (pattern: string): RegexpError => {
  try {
    translateGoRegexp(pattern);
  } catch (err) {
    if (err instanceof RegexpError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be rejected`);
};

describe('Go semantics', () => {
  test.each([
    ['abc', 'xabcx', true],
    ['^abc$', 'abc\n', false],
    ['abc$', 'abc\n', false],
    ['(?m)abc$', 'abc\nx', true],
    ['(?m)^x', 'abc\nx', true],
    ['^x', 'abc\nx', false],
    ['(?m)^b$', 'a\r\nb\r\nc', false],
    ['.', '\n', false],
    ['(?s).', '\n', true],
    ['a.c', 'a\rc', true],
    ['a.c', 'a c', true],
    ['[^a]', '\n', true],
    ['\\s', '\u000b', false],
    ['[[:space:]]', '\u000b', true],
    ['\\s', ' ', false],
    ['\\d', '٣', false],
    ['\\pN', '٣', true],
    ['\\w', 'é', false],
    ['\\bfoo\\b', 'é foo', true],
    ['\\bfoo', 'éfoo', true],
    ['(?i)k', 'K', true],
    ['(?i)K', 'k', true],
    ['(?i)s', 'ſ', true],
    ['(?i)\\w', 'K', true],
    ['(?i)\\W', 'K', false],
    ['(?i)[^k]', 'K', false],
    ['(?i)[^k]', 'K', false],
    ['(?i)\\P{Lu}', 'A', false],
    ['(?i)\\P{Lu}', 'a', false],
    ['(?i)\\P{Lu}', '1', true],
    ['(?i)\\p{Lu}', 'a', true],
    ['(?i)σ', 'ς', true],
    ['(?i)Σ', 'ς', true],
    ['(?i)ß', 'ẞ', true],
    ['(?i)[a-z]+$', 'ABC', true],
    ['(?i:a)b', 'AB', false],
    ['(?i:a)b', 'Ab', true],
    ['a(?i)b', 'aB', true],
    ['a(?i)b', 'AB', false],
    ['(?i)a(?-i)b', 'Ab', true],
    ['(?i)a(?-i)b', 'AB', false],
    ['(a(?i)b|c)', 'C', true],
    ['(?U)a+', 'aaa', true],
    ['a{2,3}', 'a', false],
    ['a{2,3}', 'xaax', true],
    ['a{,3}', 'a{,3}', true],
    ['a{,3}', 'aaa', false],
    ['\\Qa.b\\E', 'axb', false],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\x41\\x{1F600}', 'A😀', true],
    ['\\101', 'A', true],
    ['[\\d-z]', '-', true],
    ['[a-]', '-', true],
    ['[]a]', ']', true],
    ['[^]a]', ']', false],
    ['\\p{Greek}', 'α', true],
    ['\\p{Greek}', 'a', false],
    ['\\p{^Greek}', 'a', true],
    ['\\pL', '牛', true],
    ['\\p{Han}', '牛', true],
    ['\\p{C}', '\u0001', true],
    ['\\p{Any}', '\n', true],
    ['[[:^alpha:]]', '1', true],
    ['(?i)[[:upper:]]', 'ſ', true],
    ['\\A\\z', '', true],
    ['^$', '', true],
    ['x*', '', true],
    ['', 'anything', true],
    ['a|', 'b', true],
    ['(|a)+b', 'aab', true],
    ['(?:^)*x', 'yx', true],
    ['\\b*x', 'x', true],
    ['(?<n>x)', 'x', true],
    ['(?P<n>x)(y)', 'xy', true],
  ])('%j on %j is %j', (pattern, input, expected) => {
    expect(goMatch(pattern, input)).toBe(expected);
  });
});

describe('Go syntax errors, in Go\'s words', () => {
  test.each([
    ['(a', 'missing closing ): `(a`'],
    [')', 'unexpected ): `)`'],
    ['x)', 'unexpected ): `x)`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['a*?*', 'invalid nested repetition operator: `*?*`'],
    ['x{2}{3}', 'invalid nested repetition operator: `{2}{3}`'],
    ['*', 'missing argument to repetition operator: `*`'],
    ['(?i)*', 'missing argument to repetition operator: `*`'],
    ['a|+', 'missing argument to repetition operator: `+`'],
    ['x{1001}', 'invalid repeat count: `{1001}`'],
    ['x{2,1}', 'invalid repeat count: `{2,1}`'],
    ['x{99999999999}', 'invalid repeat count: `{99999999999}`'],
    ['(a{1000}){2}', 'invalid repeat count: `{2}`'],
    ['((a{10}){10}){11}', 'invalid repeat count: `{11}`'],
    ['\\8', 'invalid escape sequence: `\\8`'],
    ['(a)\\1', 'invalid escape sequence: `\\1`'],
    ['\\C', 'invalid escape sequence: `\\C`'],
    ['\\Z', 'invalid escape sequence: `\\Z`'],
    ['[\\b]', 'invalid escape sequence: `\\b`'],
    ['\\x{}', 'invalid escape sequence: `\\x{}`'],
    ['\\x{110000}', 'invalid escape sequence: `\\x{110000`'],
    ['\\x4', 'invalid escape sequence: `\\x4`'],
    ['\\', 'trailing backslash at end of expression: ``'],
    ['\\p{Foo}', 'invalid character class range: `\\p{Foo}`'],
    ['\\pX', 'invalid character class range: `\\pX`'],
    ['\\p', 'invalid character class range: `\\p`'],
    ['[[:foo:]]', 'invalid character class range: `[:foo:]`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['[a', 'missing closing ]: `[a`'],
    ['(?P<a-b>x)', 'invalid named capture: `(?P<a-b>`'],
    ['(?P<>x)', 'invalid named capture: `(?P<>`'],
    ['(?=x)', 'invalid or unsupported Perl syntax: `(?=`'],
    ['(?!x)', 'invalid or unsupported Perl syntax: `(?!`'],
    ['(?-)', 'invalid or unsupported Perl syntax: `(?-)`'],
    ['(?i-)', 'invalid or unsupported Perl syntax: `(?i-)`'],
    ['(?i', 'invalid or unsupported Perl syntax: `(?i`'],
    ['(?P=n)', 'invalid or unsupported Perl syntax: `(?P`'],
  ])('%j', (pattern, message) => {
    const err = failure(pattern);
    expect(err.invalid).toBe(true);
    expect(err.message).toBe(`error parsing regexp: ${message}`);
  });
});

describe('limits', () => {
  test.each([
    ['1001 nested groups', '('.repeat(1001) + ')'.repeat(1001), 'expression nests too deeply'],
    ['a program over 3.3 million instructions', '[a-z]{1000}'.repeat(3400), 'expression too large'],
  ])('%s', (_name, pattern, code) => {
    const err = failure(pattern);
    expect(err.invalid).toBe(true);
    expect(err.message).toBe(`error parsing regexp: ${code}: \`${pattern}\``);
  });

  test('999 nested groups are fine', () => {
    expect(goMatch('('.repeat(999) + 'a' + ')'.repeat(999), 'a')).toBe(true);
  });

  test('stacked repetitions count as nesting', () => {
    expect(failure('a' + '*(?i)'.repeat(1001)).message).toMatch(/^error parsing regexp: expression nests too deeply/);
  });

  test('more than 1000 nested non-capturing groups are refused although Go accepts them', () => {
    const err = failure('(?:'.repeat(1001) + ')'.repeat(1001));
    expect(err.invalid).toBe(false);
    expect(err.message).toBe('regexp not supported: groups nested more than 1000 deep');
  });

  test('an unpaired surrogate is invalid UTF-8 to Go', () => {
    expect(failure('a\uD800').message).toBe('error parsing regexp: invalid UTF-8: `\uD800`');
  });
});

describe('compileGoRegexp', () => {
  test('turns failures into InvalidArgument', () => {
    expect.assertions(2);
    try {
      compileGoRegexp('(');
    } catch (err) {
      expect(err).toBeInstanceOf(ImagedError);
      expect((err as ImagedError).kind).toBe('InvalidArgument');
    }
  });

  test('caches compiled patterns', () => {
    expect(compileGoRegexp('^cached$')).toBe(compileGoRegexp('^cached$'));
  });

  test('never uses flags JavaScript would interpret differently', () => {
    expect(compileGoRegexp('(?i)x').flags).toBe('v');
  });
});
