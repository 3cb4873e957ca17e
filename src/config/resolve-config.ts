/**
 * Builds the daemon configuration from the TOML file and the command line: flags win over the
 * file, the file over the defaults. Unknown keys and bad values fail with the exact key or flag.
 */
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { invalidArgument } from '../errdefs/index.js';
import { INVALID } from './value-types.js';
import { SETTINGS, type ImagedConfig, type Setting, type SettingName } from './settings.js';

/** Values given on the command line, by flag name (lists for repeatable flags). */
export type FlagValues = Readonly<Record<string, string | readonly string[] | boolean | undefined>>;

/** The configuration file's format version. */
export const CONFIG_VERSION = 1;

const NAMES = Object.keys(SETTINGS) as SettingName[];
const BY_KEY = new Map(NAMES.map((name) => [SETTINGS[name].key, name]));
/** Every table that holds settings, e.g. `grpc`, `cri`, `cri.registry`. */
const TABLES = new Set(NAMES.flatMap((name) => SETTINGS[name].key.split('.').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('.'))));

const describe = (raw: unknown): string => (typeof raw === 'string' ? JSON.stringify(raw) : typeof raw === 'object' ? JSON.stringify(raw) ?? String(raw) : String(raw));

/**
 * Reads and parses the TOML file at `path`. A missing file is an error when `required`, otherwise
 * it means "no file" (undefined).
 */
export function readConfigFile(path: string, required: boolean): Readonly<Record<string, unknown>> | undefined {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw invalidArgument(`config file ${path}: ${(err as Error).message}`);
  }
  try {
    return parseToml(source);
  } catch (err) {
    throw invalidArgument(`config file ${path}: ${(err as Error).message}`);
  }
}

/** The keys and tables directly under `prefix` (`grpc.`), as they are written in that table. */
function knownUnder(prefix: string): string[] {
  const names = new Set(prefix === '' ? ['version'] : []);
  for (const name of NAMES) {
    const key = SETTINGS[name].key;
    if (!key.startsWith(prefix)) continue;
    const [first, ...rest] = key.slice(prefix.length).split('.');
    names.add(rest.length > 0 ? `[${prefix}${first}]` : (first ?? ''));
  }
  return [...names];
}

/** Flattens the file's tables to `dotted.key → value`, refusing keys no setting has. */
function fileValues(table: Readonly<Record<string, unknown>>, path: string, prefix = ''): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const [key, value] of Object.entries(table)) {
    const dotted = prefix + key;
    if (dotted === 'version') {
      if (value !== CONFIG_VERSION) throw invalidArgument(`config file ${path}: version: expected ${CONFIG_VERSION}, got ${describe(value)}`);
    } else if (BY_KEY.has(dotted)) {
      values.set(dotted, value);
    } else if (TABLES.has(dotted) && typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)) {
      for (const [k, v] of fileValues(value as Record<string, unknown>, path, `${dotted}.`)) values.set(k, v);
    } else {
      throw invalidArgument(`config file ${path}: unknown key ${dotted} (known ${prefix ? `in [${prefix.slice(0, -1)}]` : 'at the top'}: ${knownUnder(prefix).join(', ')})`);
    }
  }
  return values;
}

/** The value of `setting` from the flags, else the file, else its default. */
function resolveOne<T>(setting: Setting<T>, flags: FlagValues, file: ReadonlyMap<string, unknown>, path: string, root: string): T {
  const flag = flags[setting.flag];
  if (flag !== undefined && !(Array.isArray(flag) && flag.length === 0)) {
    const value = setting.type.read(flag);
    if (value === INVALID) throw invalidArgument(`--${setting.flag} ${describe(flag)}: expected ${setting.type.expected}`);
    return value;
  }
  if (file.has(setting.key)) {
    const raw = file.get(setting.key);
    const value = setting.type.read(raw);
    if (value === INVALID) throw invalidArgument(`config file ${path}: ${setting.key}: expected ${setting.type.expected}, got ${describe(raw)}`);
    return value;
  }
  return setting.fallback(root);
}

/**
 * The configuration from `flags` over the parsed file `table` (read from `path`) over the defaults.
 * InvalidArgument names the flag or the file and key of the first bad value.
 */
export function resolveConfig(flags: FlagValues, table: Readonly<Record<string, unknown>> | undefined, path: string): ImagedConfig {
  const file = table === undefined ? new Map<string, unknown>() : fileValues(table, path);
  const root = resolveOne(SETTINGS.root, flags, file, path, '');
  const config: Record<string, unknown> = {};
  for (const name of NAMES) config[name] = name === 'root' ? root : resolveOne(SETTINGS[name] as Setting<unknown>, flags, file, path, root);
  return config as ImagedConfig;
}
