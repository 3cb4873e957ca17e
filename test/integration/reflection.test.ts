/** buf curl through gRPC reflection, with no .proto files at hand. */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';

let daemon: ImagedProcess;
const BUF = join(process.cwd(), 'node_modules', '.bin', 'buf');
// Run outside the repository so buf cannot pick up our proto/ module.
const elsewhere = mkdtempSync(join(tmpdir(), 'imaged-bufcurl-'));

const bufCurl = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      BUF,
      ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', '--unix-socket', daemon.socket, ...args],
      { cwd: elsewhere, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });

beforeAll(async () => {
  daemon = await startImaged();
});
afterAll(async () => {
  await daemon.stop();
});

test('--list-services shows every service', async () => {
  const r = await bufCurl('--list-services', 'http://localhost');
  expect(r.stderr).toBe('');
  expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual([
    'containerd.services.content.v1.Content',
    'containerd.services.events.v1.Events',
    'containerd.services.images.v1.Images',
    'containerd.services.introspection.v1.Introspection',
    'containerd.services.leases.v1.Leases',
    'containerd.services.namespaces.v1.Namespaces',
    'containerd.services.version.v1.Version',
    'grpc.health.v1.Health',
    'grpc.reflection.v1.ServerReflection',
    'grpc.reflection.v1alpha.ServerReflection',
    'runtime.v1.ImageService',
  ]);
});

test('calls through reflection: create, list, error status', async () => {
  const ns = ['-H', 'containerd-namespace: reflect'];
  const created = await bufCurl(...ns, '-d', JSON.stringify({
    image: { name: 'a:1', target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${'d'.repeat(64)}`, size: '42' } },
  }), 'http://localhost/containerd.services.images.v1.Images/Create');
  expect(created.stderr).toBe('');
  expect(JSON.parse(created.stdout).image.name).toBe('a:1');

  const listed = await bufCurl(...ns, 'http://localhost/containerd.services.images.v1.Images/List');
  expect(JSON.parse(listed.stdout).images.map((i: { name: string }) => i.name)).toEqual(['a:1']);

  const missing = await bufCurl('http://localhost/containerd.services.images.v1.Images/List');
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toMatch(/failed_precondition[\s\S]*namespace is required/);

  const health = await bufCurl('-d', '{}', 'http://localhost/grpc.health.v1.Health/Check');
  expect(JSON.parse(health.stdout)).toEqual({ status: 'SERVING' });
});
