/**
 * CRI PullImage, cold, against containerd's CRI plugin and imaged: a single-layer image of random
 * bytes is pushed to Debian's `docker-registry` (plain HTTP on 127.0.0.1) with skopeo, then each
 * server (fresh, empty, with a hosts.toml pointing at the registry) pulls it once through CRI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceClient } from '../../src/client/index.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { containerdConfig } from './containerd.js';
import { K8S_NAMESPACE } from './cri-images.js';
import type { Cleanup } from './cleanup.js';
import { startRegistry } from '../../test/support/registry.js';
import { pushOciLayout } from '../../test/support/skopeo.js';
import { buildImage, writeOciLayout } from '../../test/support/oci-fixture.js';
import { startImagedProcess } from '../../test/support/imaged-process.js';

const hostsToml = (url: string): string => `server = "${url}"\n\n[host."${url}"]\n  capabilities = ["pull", "resolve"]\n`;

/** Starts containerd with the CRI plugin and `certs.d` (containerd's registry hosts dir) at `configPath`. */
async function startContainerdCri(dir: string, configPath: string): Promise<{ socket: string; stop(): Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.toml');
  writeFileSync(
    config,
    `${containerdConfig(dir, true)}
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "${configPath}"
`,
  );
  const socket = join(dir, 'containerd.sock');
  const child: ChildProcess = spawn('containerd', ['--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const deadline = Date.now() + 30_000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null) throw new Error(`containerd exited with ${child.exitCode}: ${log}`);
    if (Date.now() > deadline) throw new Error(`containerd did not create ${socket}: ${log}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return {
    socket,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Times one CRI PullImage of `ref` on `socket`, retrying while the CRI service is not up yet. */
async function timePull(socket: string, ref: string): Promise<number> {
  const cri = createServiceClient(ImageService, socket);
  try {
    // Wait until the CRI service answers (containerd's plugin may come up after the socket).
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await cri.listImages({}, { metadata: K8S_NAMESPACE });
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const t0 = performance.now();
    const reply = await cri.pullImage({ image: { image: ref } }, { metadata: K8S_NAMESPACE });
    const elapsed = performance.now() - t0;
    if (reply.imageRef === '') throw new Error(`PullImage(${ref}) on ${socket} returned no image ref`);
    return elapsed;
  } finally {
    cri.close();
  }
}

/** Cold CRI PullImage of a single-layer image of `layerBytes` random bytes; milliseconds per server. */
export async function coldPull(cleanup: Cleanup, layerBytes: number): Promise<{ containerd: number; imaged: number }> {
  const registry = await startRegistry();
  cleanup.defer(() => registry.stop());
  const work = mkdtempSync(join(tmpdir(), 'imaged-bench-pull-'));
  cleanup.defer(async () => rmSync(work, { recursive: true, force: true }));

  const image = buildImage({ layers: [{ randomBytes: layerBytes }] });
  const layout = join(work, 'layout');
  writeOciLayout(layout, { v1: image });
  await pushOciLayout(layout, 'v1', registry.host, 'bench/big');
  const ref = `${registry.host}/bench/big:v1`;

  // containerd 1.6 looks up `certs.d/HOST:PORT` (and `HOST_PORT_` on some versions); imaged `HOST_PORT`.
  const ctrdHosts = join(work, 'ctrd-certs.d');
  const imagedHosts = join(work, 'imaged-certs.d');
  for (const d of [join(ctrdHosts, registry.host), join(ctrdHosts, `${registry.host.replace(':', '_')}_`), join(imagedHosts, registry.host.replace(':', '_'))]) {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'hosts.toml'), hostsToml(registry.url));
  }

  const ctrd = await startContainerdCri(join(work, 'containerd'), ctrdHosts);
  cleanup.defer(() => ctrd.stop());
  const containerd = await timePull(ctrd.socket, ref);
  await ctrd.stop();

  mkdirSync(join(work, 'imaged'), { recursive: true });
  const imaged = await startImagedProcess({ root: join(work, 'imaged'), args: ['--registry-config-dir', imagedHosts] });
  cleanup.defer(() => imaged.stop());
  const imagedMs = await timePull(imaged.socket, ref);
  await imaged.stop();
  return { containerd, imaged: imagedMs };
}
