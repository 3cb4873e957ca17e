/**
 * Parsing one containerd `hosts.toml`: the `[host."URL"]` tables in the order written, then the
 * top-level (`server`) entry. Anything malformed or unknown fails with InvalidArgument naming the
 * file and the key, and never echoes values (a header may carry a secret).
 */
import { isAbsolute, join, posix } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import { invalidArgument } from '../errdefs/index.js';
import { ALL_CAPABILITIES, type Capability, type ClientCertificate } from './endpoint.js';
import { parseGoDuration } from '../duration/index.js';

/** Where an entry points: scheme, `host[:port]` and the API root path. */
export interface EntryServer {
  /** `http` or `https`. */
  readonly scheme: 'http' | 'https';
  /** `host[:port]` (IPv6 in brackets). */
  readonly host: string;
  /** API root path, `/v2` unless `override_path` says the path is the root. */
  readonly path: string;
}

/** One host entry of a hosts.toml before defaults are applied. */
export interface HostEntry {
  /** Where to send requests; absent for a top-level entry without `server` (the registry host itself). */
  readonly server?: EntryServer;
  /** Capabilities; absent means the file did not restrict them. */
  readonly capabilities?: readonly Capability[];
  /** `skip_verify`, when given. */
  readonly skipVerify?: boolean;
  /** CA files, absolute. */
  readonly ca?: readonly string[];
  /** Client certificate pairs, absolute. */
  readonly clientCerts?: readonly ClientCertificate[];
  /** Extra headers. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** `override_path`. */
  readonly overridePath: boolean;
  /** `dial_timeout` in milliseconds. */
  readonly dialTimeoutMs?: number;
}

/** Keys allowed both at the top level and in a `[host."URL"]` table. */
const ENTRY_KEYS = new Set(['capabilities', 'ca', 'client', 'skip_verify', 'header', 'override_path', 'dial_timeout']);
/** Keys allowed only at the top level. */
const TOP_KEYS = new Set([...ENTRY_KEYS, 'server', 'host']);

type Table = Readonly<Record<string, unknown>>;

/** Throws InvalidArgument for `key` of the file being read. */
type Fail = (key: string, problem: string) => never;

const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

const typeName = (v: unknown): string => {
  if (Array.isArray(v)) return 'an array';
  if (isTable(v)) return 'a table';
  if (v instanceof Date) return 'a date';
  return `a ${typeof v}`;
};

/** A TOML key path for messages: bare keys as is, others quoted. */
const keyPath = (...parts: readonly string[]): string =>
  parts.map((p) => (/^[A-Za-z0-9_-]+$/.test(p) ? p : JSON.stringify(p))).join('.');

/** Parses a hosts.toml. `file` names it in messages; relative paths are resolved against `hostDir`. Throws InvalidArgument. */
export function parseHostsToml(text: string, file: string, hostDir: string): HostEntry[] {
  const fail: Fail = (key, problem) => {
    throw invalidArgument(`${file}: ${key === '' ? '' : `${key}: `}${problem}`);
  };
  let doc: Table;
  try {
    doc = parse(text, { unsafeKeyBehaviour: 'throw' });
  } catch (err) {
    if (err instanceof TomlError) {
      const why = (err.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
      return fail('', `not valid TOML at line ${err.line}, column ${err.column}: ${why}`);
    }
    return fail('', `not valid TOML: ${err instanceof Error ? (err.message.split('\n')[0] ?? '') : 'unreadable'}`);
  }
  for (const key of Object.keys(doc)) {
    if (key === 'proxy') fail(key, 'proxies are not supported by imaged; remove the key or route through the environment');
    if (!TOP_KEYS.has(key)) fail(keyPath(key), `unknown key (expected one of ${[...TOP_KEYS].join(', ')})`);
  }
  const abs = (p: string): string => (isAbsolute(p) ? p : join(hostDir, p));
  const entries: HostEntry[] = [];
  const hosts = doc.host;
  if (hosts !== undefined) {
    if (!isTable(hosts)) fail('host', `expected tables [host."URL"], got ${typeName(hosts)}`);
    for (const [url, table] of Object.entries(hosts as Table)) {
      const at = (k?: string): string => (k === undefined ? keyPath('host', url) : keyPath('host', url, k));
      if (!isTable(table)) fail(at(), `expected a table, got ${typeName(table)}`);
      for (const key of Object.keys(table as Table)) {
        if (key === 'proxy') fail(at(key), 'proxies are not supported by imaged');
        if (!ENTRY_KEYS.has(key)) fail(at(key), `unknown key (expected one of ${[...ENTRY_KEYS].join(', ')})`);
      }
      entries.push(readEntry(table as Table, url, at, fail, abs));
    }
  }
  const server = doc.server;
  if (server !== undefined && typeof server !== 'string') fail('server', `expected a URL string, got ${typeName(server)}`);
  entries.push(readEntry(doc, server === '' ? undefined : (server as string | undefined), (k) => k ?? '', fail, abs));
  return entries;
}

/** Reads the settings of one entry; `server` is its URL (absent for a top-level entry without one). */
function readEntry(
  table: Table,
  server: string | undefined,
  at: (key?: string) => string,
  fail: Fail,
  abs: (p: string) => string,
): HostEntry {
  const overridePath = optionalBoolean(table, 'override_path', at, fail) ?? false;
  const skipVerify = optionalBoolean(table, 'skip_verify', at, fail);
  const capabilities = readCapabilities(table.capabilities, at('capabilities'), fail);
  const ca = readStrings(table.ca, at('ca'), fail)?.map(abs);
  const clientCerts = readClient(table.client, at('client'), fail, abs);
  const headers = readHeaders(table.header, at, fail);
  const dial = table.dial_timeout;
  let dialTimeoutMs: number | undefined;
  if (dial !== undefined) {
    if (typeof dial !== 'string') fail(at('dial_timeout'), `expected a duration string such as "5s", got ${typeName(dial)}`);
    dialTimeoutMs = parseGoDuration(dial as string);
    if (dialTimeoutMs === undefined) fail(at('dial_timeout'), 'expected a duration such as "500ms", "5s" or "1m30s"');
  }
  return {
    ...(server === undefined ? {} : { server: parseServer(server, overridePath, at(), fail) }),
    ...(capabilities === undefined ? {} : { capabilities }),
    ...(skipVerify === undefined ? {} : { skipVerify }),
    ...(ca === undefined ? {} : { ca }),
    ...(clientCerts === undefined ? {} : { clientCerts }),
    headers,
    overridePath,
    ...(dialTimeoutMs === undefined ? {} : { dialTimeoutMs }),
  };
}

/** Parses a server URL as containerd does: `https://` when no scheme, `/v2` appended unless `override_path`. */
function parseServer(text: string, overridePath: boolean, key: string, fail: Fail): EntryServer {
  const where = key === '' ? 'server' : key;
  const withScheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return fail(where, 'not a valid URL (expected "https://host[:port][/path]")');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(where, `scheme must be http or https, not "${url.protocol.slice(0, -1)}"`);
  if (url.username !== '' || url.password !== '') fail(where, 'must not contain user:password; pass credentials through the pull request instead');
  if (url.host === '') fail(where, 'has no host');
  if (url.search !== '' || url.hash !== '') fail(where, 'must not have a query or fragment');
  // WHATWG URLs drop a default port (`:80`, `:443`); containerd keeps what was written, and so do we.
  const written = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(\[[^\]]*\]|[^:/?#]*):(\d+)(?:[/?#]|$)/.exec(withScheme)?.[2];
  const host = url.port === '' && written !== undefined ? `${url.hostname}:${Number(written)}` : url.host;
  let path = url.pathname === '/' ? '' : posix.normalize(url.pathname).replace(/\/+$/, '');
  if (path === '' && !overridePath) path = '/v2';
  else if (path !== '' && !overridePath && !path.endsWith('/v2')) path = `${path}/v2`;
  return { scheme: url.protocol === 'http:' ? 'http' : 'https', host, path };
}

function optionalBoolean(table: Table, key: string, at: (k?: string) => string, fail: Fail): boolean | undefined {
  const v = table[key];
  if (v === undefined || typeof v === 'boolean') return v;
  return fail(at(key), `expected true or false, got ${typeName(v)}`);
}

function readCapabilities(value: unknown, key: string, fail: Fail): Capability[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return fail(key, `expected an array such as ["pull", "resolve"], got ${typeName(value)}`);
  if (value.length === 0) return undefined;
  const caps = new Set<Capability>();
  for (const item of value) {
    const c = typeof item === 'string' ? item.toLowerCase() : undefined;
    if (c === undefined || !(ALL_CAPABILITIES as readonly string[]).includes(c)) {
      fail(key, `unknown capability ${typeof item === 'string' ? JSON.stringify(item) : typeName(item)} (expected pull, resolve or push)`);
    }
    caps.add(c as Capability);
  }
  return ALL_CAPABILITIES.filter((c) => caps.has(c));
}

function readStrings(value: unknown, key: string, fail: Fail): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return fail(key, `expected a path or an array of paths, got ${typeName(value)}`);
  return value.map((v, i) => (typeof v === 'string' ? v : fail(`${key}[${i}]`, `expected a string, got ${typeName(v)}`)));
}

function readClient(value: unknown, key: string, fail: Fail, abs: (p: string) => string): ClientCertificate[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [{ cert: abs(value) }];
  if (!Array.isArray(value)) return fail(key, `expected a path, an array of paths or of [cert, key] pairs, got ${typeName(value)}`);
  return value.map((item, i): ClientCertificate => {
    if (typeof item === 'string') return { cert: abs(item) };
    if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || typeof item[1] !== 'string') {
      return fail(`${key}[${i}]`, 'expected a path or a ["cert", "key"] pair of paths');
    }
    const [cert, k] = item as [string, string];
    return k === '' ? { cert: abs(cert) } : { cert: abs(cert), key: abs(k) };
  });
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function readHeaders(value: unknown, at: (k?: string) => string, fail: Fail): Record<string, string[]> {
  if (value === undefined) return {};
  if (!isTable(value)) return fail(at('header'), `expected a table of header names, got ${typeName(value)}`);
  const headers: Record<string, string[]> = {};
  for (const [name, v] of Object.entries(value)) {
    const key = `${at('header')}.${keyPath(name)}`;
    if (!HEADER_NAME.test(name)) fail(key, 'not a valid HTTP header name');
    const values = typeof v === 'string' ? [v] : Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
    if (values === undefined) fail(key, `expected a string or an array of strings, got ${typeName(v)}`);
    if (values.some((x) => /[\r\n\0]/.test(x))) fail(key, 'header values must not contain line breaks or NUL');
    headers[name] = values;
  }
  return headers;
}
