/**
 * Character classes of the filter language. They follow containerd's scanner, which classifies
 * runes with Go's `unicode` package; here the same classes are written for JavaScript strings,
 * read one code point at a time.
 */

/** Code points Go's `unicode.IsSpace` accepts: these separate tokens and end bare values. */
export function isSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200a;
  }
}

/** Characters of a bare field name: ASCII letters, digits, `_` and `-`. */
export function isFieldChar(cp: number): boolean {
  return (
    (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x30 && cp <= 0x39) || cp === 0x5f || cp === 0x2d
  );
}

const GRAPHIC = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/**
 * Characters that continue a bare value: any letter, mark, number, punctuation or symbol except
 * `,` (Go's `IsGraphic`/`IsPunct` minus spaces and the selector separator).
 */
export function isValueChar(cp: number): boolean {
  if (cp === 0x2c) return false;
  if (cp < 0x80) return cp > 0x20 && cp < 0x7f;
  return cp !== 0xfffd && !isSpace(cp) && GRAPHIC.test(String.fromCodePoint(cp));
}

/** `"`, `/` and `|` open quoted literals (the last two only make sense for `~=` values). */
export function isQuoteChar(cp: number): boolean {
  return cp === 0x22 || cp === 0x2f || cp === 0x7c;
}

/** `=`, `!` and `~` make up operators. */
export function isOperatorChar(cp: number): boolean {
  return cp === 0x3d || cp === 0x21 || cp === 0x7e;
}

/** `,` separates selectors and `.` separates the fields of a path. */
export function isSeparatorChar(cp: number): boolean {
  return cp === 0x2c || cp === 0x2e;
}

/**
 * Why a code point may not appear anywhere in a filter, or undefined when it may. containerd
 * rejects NUL and the replacement character (what invalid UTF-8 decodes to); an unpaired
 * surrogate is the JavaScript counterpart of invalid UTF-8.
 */
export function illegalCharReason(cp: number): string | undefined {
  if (cp === 0) return 'unexpected null';
  if (cp === 0xfffd) return 'rune error (invalid UTF-8 or U+FFFD)';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'rune error (unpaired UTF-16 surrogate)';
  return undefined;
}

/** The number of UTF-16 code units code point `cp` takes. */
export const widthOf = (cp: number): number => (cp > 0xffff ? 2 : 1);

/** The value of an ASCII hex digit, or 16 for anything else (so it is never a digit of any base). */
export function digitValue(cp: number | undefined): number {
  if (cp === undefined) return 16;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp >= 0x61 && cp <= 0x66) return cp - 0x61 + 10;
  if (cp >= 0x41 && cp <= 0x46) return cp - 0x41 + 10;
  return 16;
}
