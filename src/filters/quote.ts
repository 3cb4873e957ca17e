/**
 * Go-style quoted strings as used by the filter language: `"…"` everywhere, and `/…/` or `|…|`
 * for regular-expression values. The escapes are Go's: `\a \b \f \n \r \t \v \\`, the delimiter,
 * `\NNN` (octal byte), `\xNN` (byte), `\uNNNN` and `\UNNNNNNNN` (code points).
 */
import { digitValue, widthOf } from './chars.js';

/** A quoted literal that cannot be decoded; `offset` is relative to the literal's first character. */
export class QuoteSyntaxError extends Error {
  /** UTF-16 offset, within the literal, of the part that is wrong. */
  readonly offset: number;

  /** Creates the error for the part of the literal at `offset`. */
  constructor(offset: number, message: string) {
    super(message);
    this.name = 'QuoteSyntaxError';
    this.offset = offset;
  }
}

const SIMPLE_ESCAPES: ReadonlyMap<number, number> = new Map([
  [0x61, 0x07], // \a
  [0x62, 0x08], // \b
  [0x66, 0x0c], // \f
  [0x6e, 0x0a], // \n
  [0x72, 0x0d], // \r
  [0x74, 0x09], // \t
  [0x76, 0x0b], // \v
  [0x5c, 0x5c], // \\
]);

const DELIMITERS = new Set([0x22, 0x2f, 0x7c]);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a quoted literal (delimiters included) into the string it denotes.
 *
 * Byte escapes (`\xNN`, octal) produce raw bytes as in Go; the bytes of the whole literal must
 * form valid UTF-8, since a JavaScript string cannot hold anything else. `\u`/`\U` escapes of
 * surrogate code points decode to U+FFFD, as Go's encoder does.
 *
 * @throws QuoteSyntaxError when the literal is malformed.
 */
export function unquote(literal: string): string {
  const open = literal.codePointAt(0);
  if (open === undefined || !DELIMITERS.has(open) || literal.length < 2 || literal.charCodeAt(literal.length - 1) !== open) {
    throw new QuoteSyntaxError(0, 'not a quoted literal');
  }
  const end = literal.length - 1;
  if (!literal.includes('\\')) {
    const body = literal.slice(1, end);
    const stray = Math.max(body.indexOf(String.fromCharCode(open)), body.indexOf('\n'));
    if (stray >= 0) throw new QuoteSyntaxError(stray + 1, 'unescaped delimiter or newline inside quotes');
    return body;
  }

  // Byte escapes collect in `pending` until something else follows; the bytes must then form
  // whole UTF-8 sequences (a literal character can never continue a partial sequence).
  let out = '';
  const pending: number[] = [];
  let pendingAt = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    try {
      out += strictUtf8.decode(Uint8Array.from(pending));
    } catch {
      throw new QuoteSyntaxError(pendingAt, 'byte escapes (\\x.. or octal) do not form valid UTF-8');
    }
    pending.length = 0;
  };
  const pushByte = (at: number, b: number): void => {
    if (pending.length === 0) pendingAt = at;
    pending.push(b);
  };
  const hex = (from: number, count: number, escape: number): number => {
    let value = 0;
    for (let k = from; k < from + count; k++) {
      const d = k < end ? digitValue(literal.charCodeAt(k)) : 16;
      if (d >= 16) throw new QuoteSyntaxError(escape, `expected ${count} hex digits after ${literal.slice(escape, from)}`);
      value = value * 16 + d;
    }
    return value;
  };

  let i = 1;
  while (i < end) {
    const cp = literal.codePointAt(i) ?? 0;
    if (cp === open || cp === 0x0a) throw new QuoteSyntaxError(i, 'unescaped delimiter or newline inside quotes');
    if (cp !== 0x5c) {
      flush();
      const next = literal.indexOf('\\', i);
      const stop = next < 0 || next > end ? end : next;
      const run = literal.slice(i, stop);
      const stray = Math.max(run.indexOf(String.fromCharCode(open)), run.indexOf('\n'));
      if (stray >= 0) throw new QuoteSyntaxError(i + stray, 'unescaped delimiter or newline inside quotes');
      out += run;
      i = stop;
      continue;
    }
    const escape = i;
    const e = i + 1 < end ? literal.charCodeAt(i + 1) : -1;
    const simple = SIMPLE_ESCAPES.get(e);
    if (simple !== undefined || e === open) {
      flush();
      out += String.fromCharCode(simple ?? open);
      i += 2;
    } else if (e === 0x78) {
      pushByte(escape, hex(i + 2, 2, escape));
      i += 4;
    } else if (e === 0x75 || e === 0x55) {
      const count = e === 0x75 ? 4 : 8;
      const value = hex(i + 2, count, escape);
      if (value > 0x10ffff) {
        throw new QuoteSyntaxError(escape, `${literal.slice(escape, i + 2 + count)} is beyond U+10FFFF`);
      }
      flush();
      out += String.fromCodePoint(value >= 0xd800 && value <= 0xdfff ? 0xfffd : value);
      i += 2 + count;
    } else if (e >= 0x30 && e <= 0x37) {
      let value = 0;
      for (let k = i + 1; k < i + 4; k++) {
        const d = k < end ? literal.charCodeAt(k) - 0x30 : -1;
        if (d < 0 || d > 7) throw new QuoteSyntaxError(escape, 'octal escapes need exactly three digits (\\000 to \\377)');
        value = value * 8 + d;
      }
      if (value > 0xff) throw new QuoteSyntaxError(escape, `octal escape ${literal.slice(escape, i + 4)} is above \\377`);
      pushByte(escape, value);
      i += 4;
    } else {
      const shown = e < 0 ? '\\' : literal.slice(escape, escape + 1 + widthOf(literal.codePointAt(i + 1) ?? 0));
      throw new QuoteSyntaxError(escape, `unknown escape ${shown}`);
    }
  }
  flush();
  return out;
}

const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x0b, '\\v'],
  [0x22, '\\"'],
  [0x5c, '\\\\'],
]);

const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]$/u;

const hexEscape = (cp: number): string =>
  cp < 0x80
    ? `\\x${cp.toString(16).padStart(2, '0')}`
    : cp <= 0xffff
      ? `\\u${cp.toString(16).padStart(4, '0')}`
      : `\\U${cp.toString(16).padStart(8, '0')}`;

/**
 * Encodes `value` as a double-quoted literal that {@link unquote} (and containerd) decode back to
 * `value`. Quotes, backslashes and invisible characters are escaped; U+FFFD is written `\ufffd`
 * because the scanner refuses it raw. Unpaired surrogates cannot be written in UTF-8, so they are
 * encoded as U+FFFD too (the only lossy case).
 */
export function quote(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; ) {
    const cp = value.codePointAt(i) ?? 0;
    i += widthOf(cp);
    const short = SHORT_ESCAPES.get(cp);
    if (short !== undefined) out += short;
    else if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffd) out += '\\ufffd';
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && INVISIBLE.test(String.fromCodePoint(cp)))) out += hexEscape(cp);
    else out += String.fromCodePoint(cp);
  }
  return `${out}"`;
}
