/** Finding the directory under the registry config dir that configures a registry host, as containerd does on Unix. */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { failedPrecondition } from '../errdefs/index.js';

/** The directory that applies to every host without one of its own. */
export const DEFAULT_HOST_DIR = '_default';

/** Directory names tried for `host`, in order: `host_port_` (when there is a port), `host[:port]`, `_default`. */
export function hostDirNames(host: string): string[] {
  const colon = host.lastIndexOf(':');
  const names: string[] = [];
  if (colon > 0 && !host.endsWith(']')) names.push(`${host.slice(0, colon)}_${host.slice(colon + 1)}_`);
  names.push(host, DEFAULT_HOST_DIR);
  return names;
}

/** The first existing directory for `host` under `configDir`, or undefined when none exists. */
export async function findHostDir(configDir: string, host: string): Promise<string | undefined> {
  for (const name of hostDirNames(host)) {
    if (name.includes('/') || name === '.' || name === '..') continue;
    const dir = join(configDir, name);
    try {
      if ((await stat(dir)).isDirectory()) return dir;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw failedPrecondition(`cannot read registry config directory ${dir}: ${code ?? String(err)}`, err);
    }
  }
  return undefined;
}
