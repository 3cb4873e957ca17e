/**
 * The kinds of values a configuration setting holds. Each kind reads a value from the TOML file
 * (already typed by the TOML parser) or from a command-line flag (always a string), checks it, and
 * writes it back as TOML for `imaged config default` / `dump`.
 */
import { formatGoDuration, parseGoDuration } from '../duration/index.js';

/** One kind of setting value. */
export interface ValueType<T> {
  /** Describes the expected value in an error message, e.g. `a whole number from 1 to 999`. */
  readonly expected: string;
  /** Whether the flag may be repeated (a list). */
  readonly repeatable?: boolean;
  /** The value, or INVALID when `raw` is not one. */
  read(raw: unknown): T | typeof INVALID;
  /** The value as a TOML literal. */
  toToml(value: T): string;
}

/** What `ValueType.read` returns for a value of the wrong kind. */
export const INVALID: unique symbol = Symbol('invalid');

const quoted = (text: string): string => JSON.stringify(text);

/** Any string that passes `check`. */
export const text = (expected = 'a string', check: (value: string) => boolean = () => true): ValueType<string> => ({
  expected,
  read: (raw) => (typeof raw === 'string' && check(raw) ? raw : INVALID),
  toToml: quoted,
});

/** A string that may be left empty to switch a feature off. */
export const optionalText = (expected: string, check: (value: string) => boolean = () => true): ValueType<string | undefined> => ({
  expected: `${expected}, or "" for none`,
  read: (raw) => (raw === '' ? undefined : typeof raw === 'string' && check(raw) ? raw : INVALID),
  toToml: (value) => quoted(value ?? ''),
});

/** A whole number in `[min, max]`, from a TOML integer or a decimal flag. */
export const integer = (min: number, max: number): ValueType<number> => ({
  expected: `a whole number from ${min} to ${max}`,
  read(raw) {
    const n = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : typeof raw === 'bigint' ? Number(raw) : raw;
    return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : INVALID;
  },
  toToml: String,
});

/** A Go-style duration string (`30s`, `5m`, `1h`) in milliseconds, up to `maxMs`. */
export const duration = (maxMs = 365 * 86_400_000): ValueType<number> => ({
  expected: 'a duration such as "30s", "5m" or "1h"',
  read(raw) {
    const ms = typeof raw === 'string' ? parseGoDuration(raw) : undefined;
    return ms !== undefined && ms <= maxMs ? Math.round(ms) : INVALID;
  },
  toToml: (ms) => quoted(formatGoDuration(ms)),
});

/** One of a fixed set of words. */
export const oneOf = <T extends string>(...choices: readonly T[]): ValueType<T> => ({
  expected: `one of ${choices.map(quoted).join(', ')}`,
  read: (raw) => (choices.includes(raw as T) ? (raw as T) : INVALID),
  toToml: quoted,
});

/** A list of strings each passing `check`; a flag adds one item per use. */
export const list = (expected: string, check: (value: string) => boolean): ValueType<readonly string[]> => ({
  expected: `a list of ${expected}`,
  repeatable: true,
  read(raw) {
    const items = typeof raw === 'string' ? [raw] : raw;
    return Array.isArray(items) && items.every((item) => typeof item === 'string' && check(item)) ? (items as string[]) : INVALID;
  },
  toToml: (values) => `[${values.map(quoted).join(', ')}]`,
});

/** A permission mode like `0660`: an octal string, or a TOML integer such as `0o660`. */
export const fileMode: ValueType<number> = {
  expected: 'an octal file mode such as "0660"',
  read(raw) {
    const mode = typeof raw === 'string' && /^0?[0-7]{3}$/.test(raw) ? parseInt(raw, 8) : raw;
    return typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 && mode <= 0o777 ? mode : INVALID;
  },
  toToml: (mode) => quoted(`0${mode.toString(8).padStart(3, '0')}`),
};
