/** Compact durations for progress displays: `42s`, `3m07s`, `2h05m`. */

/** `seconds` (rounded up) as `42s`, `3m07s` or `2h05m`. */
export function shortDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
