/**
 * The ordered endpoints for a registry host, from containerd's `certs.d/<host>/hosts.toml` layout
 * under the registry config directory (`--registry-config-dir`), with containerd's defaults.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { failedPrecondition, invalidArgument } from '../errdefs/index.js';
import { readCertFiles } from './cert-files.js';
import { ALL_CAPABILITIES, type RegistryEndpoint } from './endpoint.js';
import { findHostDir } from './host-dir.js';
import { isLocalhost, isRegistryHost, splitHostPort } from './host-name.js';
import { parseHostsToml, type EntryServer, type HostEntry } from './hosts-toml.js';

/** The name of the configuration file inside a host directory. */
export const HOSTS_FILE = 'hosts.toml';

/** Docker Hub's registry name and the host that actually serves it. */
export const DOCKER_HUB = 'docker.io';
/** The API host behind `docker.io`. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';

/** Where endpoint configuration comes from. */
export interface HostsConfigOptions {
  /** The registry config directory holding one directory per host; without it every host gets the defaults. */
  readonly configDir?: string;
}

/** The entries configured for `host` under `configDir`: hosts.toml, else Docker's certificate files, else undefined. */
export async function loadHostEntries(configDir: string, host: string): Promise<HostEntry[] | undefined> {
  const dir = await findHostDir(configDir, host);
  if (dir === undefined) return undefined;
  const file = join(dir, HOSTS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw failedPrecondition(`cannot read ${file}: ${code ?? String(err)}`, err);
    text = '';
  }
  if (text.trim() === '') return [await readCertFiles(dir)];
  return parseHostsToml(text, file, dir);
}

/** The server a top-level entry without `server` stands for: the registry host itself, with containerd's defaults. */
function defaultServer(host: string): { server: EntryServer; skipVerify?: boolean } {
  if (host === DOCKER_HUB) return { server: { scheme: 'https', host: DOCKER_HUB_API_HOST, path: '/v2' } };
  if (!isLocalhost(host)) return { server: { scheme: 'https', host, path: '/v2' } };
  // Loopback registries: plain HTTP unless on 443 or without a port; any certificate is accepted.
  const { port } = splitHostPort(host);
  const scheme = port === '' || port === '443' ? 'https' : 'http';
  return { server: { scheme, host, path: '/v2' }, ...(port === '80' ? {} : { skipVerify: true }) };
}

/** Turns parsed entries (or none) into endpoints for `host`, applying containerd's defaults and HTTPS-first rule. */
export function endpointsFromEntries(host: string, entries: readonly HostEntry[] | undefined): RegistryEndpoint[] {
  const list: HostEntry[] = entries === undefined || entries.length === 0 ? [{ headers: {}, overridePath: false }] : [...entries];
  const last = list[list.length - 1];
  if (last !== undefined && last.server === undefined) {
    const d = defaultServer(host);
    list[list.length - 1] = { ...last, server: d.server, capabilities: ALL_CAPABILITIES, ...(d.skipVerify === undefined ? {} : { skipVerify: d.skipVerify }) };
  }
  return list.map((entry): RegistryEndpoint => {
    const server = entry.server as EntryServer;
    const explicitTls = entry.ca !== undefined || entry.clientCerts !== undefined || entry.skipVerify !== undefined;
    // An http:// host with TLS settings is tried over HTTPS first, falling back to HTTP (not on port 80).
    const httpFallback = server.scheme === 'http' && explicitTls && splitHostPort(server.host).port !== '80';
    const scheme = httpFallback ? 'https' : server.scheme;
    return {
      url: `${scheme}://${server.host}${server.path}`,
      capabilities: entry.capabilities ?? ALL_CAPABILITIES,
      skipVerify: entry.skipVerify ?? false,
      ...(entry.ca === undefined ? {} : { ca: entry.ca }),
      ...(entry.clientCerts === undefined ? {} : { clientCerts: entry.clientCerts }),
      headers: entry.headers,
      overridePath: entry.overridePath,
      ...(entry.dialTimeoutMs === undefined ? {} : { dialTimeoutMs: entry.dialTimeoutMs }),
      httpFallback,
    };
  });
}

/** The endpoints to try for registry `host` (`host[:port]` as in an image reference), in order. */
export async function registryEndpoints(host: string, options: HostsConfigOptions = {}): Promise<RegistryEndpoint[]> {
  if (!isRegistryHost(host)) throw invalidArgument(`invalid registry host ${JSON.stringify(host)}: expected host[:port]`);
  const entries = options.configDir === undefined ? undefined : await loadHostEntries(options.configDir, host);
  return endpointsFromEntries(host, entries);
}
