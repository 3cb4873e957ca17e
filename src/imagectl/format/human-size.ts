/** Sizes as docker and crictl print them: decimal units, three significant digits (`1.23MB`). */
import { formatGoFloat } from './go-float.js';

/** Decimal unit suffixes, 1000 apart. */
const SIZE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

/** `bytes` in the largest unit that keeps the number below 1000, with `precision` significant digits. */
export function humanSize(bytes: number, precision = 3): string {
  let size = bytes;
  let unit = 0;
  while (size >= 1000 && unit < SIZE_UNITS.length - 1) {
    size /= 1000;
    unit++;
  }
  return `${formatGoFloat(size, precision)}${SIZE_UNITS[unit]}`;
}
