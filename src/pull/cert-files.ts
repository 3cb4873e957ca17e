/**
 * Docker's certificate directory layout, which containerd reads from a host directory that has no
 * hosts.toml: `*.crt` files are CAs, `*.cert` files client certificates with an optional `*.key` beside.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClientCertificate } from './endpoint.js';
import type { HostEntry } from './hosts-toml.js';

/** The single top-level entry a Docker-style certificate directory describes. */
export async function readCertFiles(dir: string): Promise<HostEntry> {
  const names = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.isDirectory()).map((e) => e.name).sort();
  const ca = names.filter((n) => n.endsWith('.crt')).map((n) => join(dir, n));
  const clientCerts = names
    .filter((n) => n.endsWith('.cert'))
    .map((n): ClientCertificate => {
      const key = join(dir, `${n.slice(0, -'.cert'.length)}.key`);
      return existsSync(key) ? { cert: join(dir, n), key } : { cert: join(dir, n) };
    });
  return {
    ...(ca.length === 0 ? {} : { ca }),
    ...(clientCerts.length === 0 ? {} : { clientCerts }),
    headers: {},
    overridePath: false,
  };
}
