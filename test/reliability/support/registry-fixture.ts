/** A real docker-registry holding test images, and the hosts.toml directory that lets imaged pull them over plain HTTP. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOciLayout, type BuiltRoot } from '../../support/oci-fixture.js';
import { startRegistry, type Registry } from '../../support/registry.js';
import { pushOciLayout } from '../../support/skopeo.js';
import { tempDir } from '../../support/temp-dir.js';

/** A registry with images pushed as `<host>/<repo>:<repo>` (tag = repository name). */
export interface ImageRegistry {
  /** The running registry. */
  readonly registry: Registry;
  /** The reference of each pushed repository, on the registry's own host. */
  refOn(repo: string, host?: string): string;
}

/** Starts docker-registry and pushes each root as repository `test/<name>`. */
export async function registryWith(images: Readonly<Record<string, BuiltRoot>>): Promise<ImageRegistry> {
  const registry = await startRegistry();
  const layout = join(tempDir('imaged-layout-'), 'layout');
  writeOciLayout(layout, images);
  try {
    for (const name of Object.keys(images)) await pushOciLayout(layout, name, registry.host, `test/${name}`, { all: true });
  } catch (err) {
    await registry.stop();
    throw err;
  }
  return { registry, refOn: (repo, host = registry.host) => `${host}/test/${repo}:${repo}` };
}

/** A `certs.d` directory saying each of `hosts` (`127.0.0.1:PORT`) serves plain HTTP. */
export function plainHttpHosts(hosts: readonly string[]): string {
  const dir = tempDir('imaged-certsd-');
  for (const host of hosts) {
    const hostDir = join(dir, host.replace(':', '_'));
    mkdirSync(hostDir, { recursive: true });
    writeFileSync(join(hostDir, 'hosts.toml'), `server = "http://${host}"\n`);
  }
  return dir;
}
