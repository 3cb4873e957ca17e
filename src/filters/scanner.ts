/**
 * Splits a filter string into tokens. The token rules follow containerd's `pkg/filters` scanner
 * so that the same inputs are accepted and rejected; positions are UTF-16 offsets into the input
 * (JavaScript string indices) rather than byte offsets.
 */
import {
  digitValue,
  illegalCharReason,
  isFieldChar,
  isOperatorChar,
  isQuoteChar,
  isSeparatorChar,
  isSpace,
  isValueChar,
  widthOf,
} from './chars.js';

/**
 * What a token is:
 * - `field`: a bare name (`[A-Za-z0-9_-]+`);
 * - `value`: a bare value, read only right after an operator;
 * - `quoted`: a literal delimited by `"`, `/` or `|`, delimiters and escapes included;
 * - `separator`: `,` or `.`;
 * - `operator`: a run of `=`, `!` and `~` (not necessarily a valid operator);
 * - `illegal`: something that cannot be scanned; `error` says why;
 * - `char`: any other single character, which no rule of the grammar accepts;
 * - `eof`: the end of the input.
 */
export type TokenKind = 'field' | 'value' | 'quoted' | 'separator' | 'operator' | 'illegal' | 'char' | 'eof';

/** Why a token is illegal, and the offset of the offending character. */
export interface ScanError {
  /** UTF-16 offset of the character the message is about. */
  readonly pos: number;
  /** What is wrong, in containerd's words. */
  readonly message: string;
}

/** A token and where it starts. */
export interface Token {
  /** The kind of token. */
  readonly kind: TokenKind;
  /** UTF-16 offset of the token's first character (the input length for `eof`). */
  readonly pos: number;
  /** The token's text exactly as it appears in the input (empty for `eof`). */
  readonly text: string;
  /** Set on `illegal` tokens only. */
  readonly error?: ScanError;
}

/**
 * A cursor over a filter string. {@link Scanner.scan} skips whitespace and returns the next token;
 * {@link Scanner.peek} looks at the very next character without skipping anything, which is how
 * the parser decides what follows a field path or a value (so, as in containerd, whitespace is
 * only allowed before fields, operators and values — not after them).
 */
export class Scanner {
  private offset = 0;
  private afterOperator = false;

  /** Starts scanning `input` from its beginning. */
  constructor(readonly input: string) {}

  /** The UTF-16 offset of the next unread character. */
  get position(): number {
    return this.offset;
  }

  /** The next code point without consuming it or skipping whitespace; undefined at the end. */
  peek(): number | undefined {
    return this.input.codePointAt(this.offset);
  }

  /** Consumes and returns the next token. */
  scan(): Token {
    const { input } = this;
    let cp = input.codePointAt(this.offset);
    while (cp !== undefined && isSpace(cp)) {
      this.offset += 1;
      cp = input.codePointAt(this.offset);
    }
    const pos = this.offset;
    if (cp === undefined) return { kind: 'eof', pos, text: '' };

    const reason = illegalCharReason(cp);
    if (reason !== undefined) {
      this.offset += widthOf(cp);
      return { kind: 'illegal', pos, text: input.slice(pos, this.offset), error: { pos, message: reason } };
    }
    if (isQuoteChar(cp)) return this.scanQuoted(cp, pos);
    if (isSeparatorChar(cp)) {
      this.afterOperator = false;
      this.offset += 1;
      return { kind: 'separator', pos, text: input.slice(pos, this.offset) };
    }
    if (isOperatorChar(cp)) {
      this.offset += 1;
      while (this.offset < input.length && isOperatorChar(input.charCodeAt(this.offset))) this.offset += 1;
      this.afterOperator = true;
      return { kind: 'operator', pos, text: input.slice(pos, this.offset) };
    }
    if (this.afterOperator) {
      // As upstream: the first character is taken whatever it is; the run continues over value characters.
      this.offset += widthOf(cp);
      this.skipWhile(isValueChar);
      this.afterOperator = false;
      return { kind: 'value', pos, text: input.slice(pos, this.offset) };
    }
    if (isFieldChar(cp)) {
      this.skipWhile(isFieldChar);
      return { kind: 'field', pos, text: input.slice(pos, this.offset) };
    }
    this.offset += widthOf(cp);
    return { kind: 'char', pos, text: input.slice(pos, this.offset) };
  }

  private skipWhile(accept: (cp: number) => boolean): void {
    for (;;) {
      const cp = this.input.codePointAt(this.offset);
      if (cp === undefined || !accept(cp)) return;
      this.offset += widthOf(cp);
    }
  }

  /**
   * Reads a quoted literal up to its closing delimiter, checking escapes the way containerd does:
   * `\a \b \f \n \r \t \v \\`, the delimiter itself, three octal digits, `\x` + 2, `\u` + 4 and
   * `\U` + 8 hex digits. The first problem found is reported; an unterminated literal or an
   * illegal character ends the token, other problems do not.
   */
  private scanQuoted(quote: number, start: number): Token {
    const { input } = this;
    let error: ScanError | undefined;
    const fail = (pos: number, message: string): void => {
      error ??= { pos, message };
    };
    let i = start + 1;
    for (;;) {
      const cp = input.codePointAt(i);
      if (cp === undefined) {
        fail(start, 'quoted literal not terminated');
        break;
      }
      const reason = illegalCharReason(cp);
      if (reason !== undefined) {
        fail(i, reason);
        i += widthOf(cp);
        break;
      }
      if (cp === 0x0a) {
        fail(start, 'quoted literal not terminated');
        i += 1;
        break;
      }
      if (cp === quote) {
        i += 1;
        break;
      }
      if (cp !== 0x5c) {
        i += widthOf(cp);
        continue;
      }
      const escape = i;
      const e = input.codePointAt(i + 1);
      if (e === undefined) {
        fail(escape, 'illegal escape sequence');
        i += 1;
        continue;
      }
      const digits = (from: number, base: number, count: number): void => {
        let k = from;
        let left = count;
        while (left > 0 && digitValue(input.codePointAt(k)) < base) {
          k += 1;
          left -= 1;
        }
        if (left > 0) fail(escape, 'illegal numeric escape sequence');
        i = k;
      };
      switch (e) {
        case 0x61: // a
        case 0x62: // b
        case 0x66: // f
        case 0x6e: // n
        case 0x72: // r
        case 0x74: // t
        case 0x76: // v
        case 0x5c: // backslash
        case quote:
          i += 2;
          break;
        case 0x78: // x
          digits(i + 2, 16, 2);
          break;
        case 0x75: // u
          digits(i + 2, 16, 4);
          break;
        case 0x55: // U
          digits(i + 2, 16, 8);
          break;
        default:
          if (e >= 0x30 && e <= 0x37) {
            digits(i + 1, 8, 3);
          } else {
            // The character after the backslash is examined again by the loop.
            fail(escape, 'illegal escape sequence');
            i += 1;
          }
      }
    }
    this.offset = i;
    const text = input.slice(start, i);
    return error === undefined ? { kind: 'quoted', pos: start, text } : { kind: 'illegal', pos: start, text, error };
  }
}

/** Scans all of `input`; the last token is always `eof`. Mostly useful for tests and debugging. */
export function tokenize(input: string): Token[] {
  const scanner = new Scanner(input);
  const tokens: Token[] = [];
  for (;;) {
    const token = scanner.scan();
    tokens.push(token);
    if (token.kind === 'eof') return tokens;
  }
}
