/** Go's `time.ParseDuration` syntax (`1s`, `1m30s`, `250ms`), used by hosts.toml and the daemon configuration. */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const TERM = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds in a non-negative Go duration string, or undefined when `text` is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const body = text.startsWith('+') ? text.slice(1) : text;
  if (body === '') return undefined;
  let total = 0;
  for (let at = 0; at < body.length; at = TERM.lastIndex) {
    TERM.lastIndex = at;
    const m = TERM.exec(body);
    if (m === null) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

const FORMAT_UNITS: readonly (readonly [string, number])[] = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/** Whole milliseconds in Go's duration syntax, largest units first (`1h30m`, `5m`, `250ms`, `0s`). */
export function formatGoDuration(ms: number): string {
  let rest = Math.round(ms);
  if (rest === 0) return '0s';
  let text = '';
  for (const [unit, size] of FORMAT_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) text += `${count}${unit}`;
    rest -= count * size;
  }
  return text;
}
