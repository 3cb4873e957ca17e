/**
 * The filter parser. Grammar (containerd `pkg/filters`):
 *
 * ```
 * selectors := selector ("," selector)*
 * selector  := fieldpath (operator value)?
 * fieldpath := field ("." field)*
 * field     := quoted | [A-Za-z0-9_-]+
 * operator  := "==" | "!=" | "~="
 * value     := quoted | <first char> [^\s,]*      (quoted may also be /…/ or |…| after ~=)
 * ```
 *
 * Whitespace may precede a field, an operator or a value, but nothing may follow a value or a
 * field path except `,` or the end — exactly as upstream, so filters accepted here are accepted
 * by containerd and vice versa.
 */
import { type ImagedError, isKind } from '../errdefs/index.js';
import {
  type Clause,
  equalSelector,
  Filter,
  matchesSelector,
  notEqualSelector,
  presentSelector,
  type Selector,
} from './filter.js';
import { parseError } from './parse-error.js';
import { QuoteSyntaxError, unquote } from './quote.js';
import { Scanner, type Token } from './scanner.js';

type Operator = '==' | '!=' | '~=';

const describeChar = (cp: number): string => JSON.stringify(String.fromCodePoint(cp));

class ClauseParser {
  private readonly scanner: Scanner;

  constructor(private readonly input: string) {
    this.scanner = new Scanner(input);
  }

  parse(): Selector[] {
    const selectors = [this.selector()];
    for (;;) {
      const next = this.scanner.peek();
      if (next === undefined) return selectors;
      if (next !== 0x2c) {
        throw this.fail(
          this.scanner.position,
          `unexpected input: ${describeChar(next)} (expected "," and another selector, or the end of the filter)`,
        );
      }
      this.scanner.scan();
      selectors.push(this.selector());
    }
  }

  private fail(pos: number, message: string): ImagedError {
    return parseError(this.input, pos, message);
  }

  private illegal(token: Token): ImagedError {
    let message = token.error?.message ?? 'illegal input';
    const delimiter = token.text[0];
    if (message === 'illegal escape sequence' && (delimiter === '/' || delimiter === '|')) {
      message += ` (inside ${delimiter}…${delimiter} only \\${delimiter} and Go string escapes are allowed: write \\\\ for a regexp backslash, or leave the value unquoted)`;
    }
    return this.fail(token.error?.pos ?? token.pos, message);
  }

  private selector(): Selector {
    const fieldpath = this.fieldpath();
    const next = this.scanner.peek();
    if (next === undefined || next === 0x2c) return presentSelector(fieldpath);
    const operator = this.operator();
    const token = this.scanner.scan();
    const value = this.value(token, operator === '~=');
    switch (operator) {
      case '==':
        return equalSelector(fieldpath, value);
      case '!=':
        return notEqualSelector(fieldpath, value);
      case '~=':
        try {
          return matchesSelector(fieldpath, value);
        } catch (err) {
          if (isKind(err, 'InvalidArgument')) throw this.fail(token.pos, err.message);
          throw err;
        }
    }
  }

  private fieldpath(): string[] {
    const path = [this.field()];
    while (this.scanner.peek() === 0x2e) {
      this.scanner.scan();
      path.push(this.field());
    }
    return path;
  }

  private field(): string {
    const token = this.scanner.scan();
    switch (token.kind) {
      case 'field':
        return token.text;
      case 'quoted':
        return this.unquote(token, false);
      case 'illegal':
        throw this.illegal(token);
      default:
        throw this.fail(token.pos, 'expected field or quoted');
    }
  }

  private operator(): Operator {
    const token = this.scanner.scan();
    if (token.kind === 'operator') {
      if (token.text === '==' || token.text === '!=' || token.text === '~=') return token.text;
      throw this.fail(token.pos, `unsupported operator ${JSON.stringify(token.text)} (expected "==", "!=" or "~=")`);
    }
    if (token.kind === 'illegal') throw this.illegal(token);
    throw this.fail(token.pos, 'expected an operator ("=="|"!="|"~=")');
  }

  private value(token: Token, allowAltQuotes: boolean): string {
    switch (token.kind) {
      case 'value':
      case 'field':
        return token.text;
      case 'quoted':
        return this.unquote(token, allowAltQuotes);
      case 'illegal':
        throw this.illegal(token);
      default:
        throw this.fail(token.pos, 'expected value or quoted');
    }
  }

  private unquote(token: Token, allowAltQuotes: boolean): string {
    if (!allowAltQuotes && !token.text.startsWith('"')) throw this.fail(token.pos, 'invalid quote encountered');
    try {
      return unquote(token.text);
    } catch (err) {
      if (err instanceof QuoteSyntaxError) throw this.fail(token.pos + err.offset, `unquoting failed: ${err.message}`);
      throw err;
    }
  }
}

/**
 * Parses one non-empty filter string into its selectors.
 *
 * @throws ImagedError InvalidArgument describing the first problem and where it is.
 */
export function parseClause(input: string): Clause {
  return new ClauseParser(input).parse();
}

/**
 * Parses one filter string: comma-separated selectors that must all match. The empty string
 * matches everything.
 *
 * @throws ImagedError InvalidArgument, e.g. `filters: parse error: [name== >|,|< ]: expected value or quoted`.
 */
export function parseFilter(input: string): Filter {
  return input === '' ? Filter.always : new Filter([parseClause(input)]);
}

/**
 * Parses the filter strings of a request: an object matches when any of them matches. An empty
 * list, or any empty string in it, matches everything.
 *
 * @throws ImagedError InvalidArgument for the first string that does not parse.
 */
export function parseFilters(list: readonly string[]): Filter {
  if (list.length === 0) return Filter.always;
  return new Filter(list.map((input) => (input === '' ? [] : parseClause(input))));
}

/** Like {@link parseFilter}, but returns undefined instead of throwing for an invalid filter. */
export function tryParseFilter(input: string): Filter | undefined {
  try {
    return parseFilter(input);
  } catch (err) {
    if (isKind(err, 'InvalidArgument')) return undefined;
    throw err;
  }
}
