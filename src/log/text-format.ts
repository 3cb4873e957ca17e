/**
 * The human-readable log format: one line per record,
 * `TIME LEVEL message key=value key.nested=value …`, values quoted only when they need it.
 */

/** Record fields the text format shows in its own place or leaves out. */
const FIXED = new Set(['time', 'level', 'msg', 'pid', 'hostname']);

/** Characters that end a line in some reader (JSON.stringify leaves U+2028/2029/0085 raw). */
const LINE_BREAKS = /[\u2028\u2029\u0085]/g;

/** Text that can be written without quotes: no spaces, quotes, `=`, backslashes or control characters. */
const BARE = /^[^\s"=\\\p{C}]+$/u;

/** `value` as JSON on one line: the line breaks JSON leaves raw are escaped too. */
const json = (value: unknown): string =>
  (JSON.stringify(value) ?? 'null').replace(LINE_BREAKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A key or string value: bare when safe, quoted otherwise. */
const token = (text: string): string => (BARE.test(text) ? text : json(text));

/** `key=value` pairs of `value`, nested objects flattened to dotted keys. */
function pairs(key: string, value: unknown, out: string[]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.push(`${token(key)}={}`);
    for (const [k, v] of entries) pairs(`${key}.${k}`, v, out);
  } else if (typeof value === 'string') {
    out.push(`${token(key)}=${token(value)}`);
  } else {
    out.push(`${token(key)}=${json(value)}`);
  }
}

/** The message: as is when it is printable on one line, quoted otherwise. */
const message = (msg: unknown): string => {
  const text = String(msg ?? '');
  return /^[^\p{C}\u2028\u2029]*$/u.test(text) && text.trim() === text ? text : json(text);
};

/** Rewrites one JSON log record (a pino line) as a single text line ending in a newline. */
export function formatTextLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${json(line.trimEnd())}\n`;
  }
  const out = [String(record['time'] ?? ''), String(record['level'] ?? '').toUpperCase().padEnd(5), message(record['msg'])];
  for (const [key, value] of Object.entries(record)) if (!FIXED.has(key)) pairs(key, value, out);
  return `${out.join(' ')}\n`;
}
