/** containerd's own ctr (Debian 1.6.20) against imaged's socket. */
import { spawn } from 'node:child_process';
import { ctr, ctrOk } from '../support/ctr.js';
import { clientsFor, inNamespace } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;
const INDEX = 'application/vnd.oci.image.index.v1+json';

let daemon: ImagedProcess;
let clients: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  daemon = await startImaged();
  clients = clientsFor(daemon.socket);
  await clients.images.create(
    { image: { name: 'docker.io/library/busybox:1.36', labels: { origin: 'test' }, target: { mediaType: INDEX, digest: DIGEST, size: 500n } } },
    inNamespace('ctr'),
  );
});

afterAll(async () => {
  clients.close();
  expect(await daemon.stop()).toBe(0);
});

const names = async (ns: string, ...filters: string[]) =>
  (await ctrOk(daemon.socket, ns, 'images', 'ls', '-q', ...filters)).split('\n').filter(Boolean);

test('ctr version reports the server', async () => {
  const out = await ctrOk(daemon.socket, 'default', 'version');
  expect(out).toMatch(/Server:\s*\n\s*Version:\s*\d+\.\d+\.\d+\s*\n\s*Revision:\s*\S+\s*\n\s*UUID:\s*[0-9a-f-]{36}/);
  const plugins = await ctrOk(daemon.socket, 'default', 'plugins', 'ls');
  expect(plugins).toMatch(/io\.containerd\.grpc\.v1\s+images\s+-\s+ok/);
});

test('ctr images tag, ls -q with filters, label, rm', async () => {
  const sock = daemon.socket;
  await ctrOk(sock, 'ctr', 'images', 'tag', 'docker.io/library/busybox:1.36', 'docker.io/library/busybox:latest');
  await ctrOk(sock, 'ctr', 'images', 'tag', 'docker.io/library/busybox:1.36', 'example.com/mirror/busybox:1.36');
  expect(await names('ctr')).toEqual([
    'docker.io/library/busybox:1.36',
    'docker.io/library/busybox:latest',
    'example.com/mirror/busybox:1.36',
  ]);
  expect(await names('ctr', 'name~=^docker.io/')).toEqual(['docker.io/library/busybox:1.36', 'docker.io/library/busybox:latest']);
  expect(await names('ctr', 'name==example.com/mirror/busybox:1.36')).toEqual(['example.com/mirror/busybox:1.36']);
  expect(await names('ctr', 'name==nothing', 'target.digest==' + DIGEST + ',name~=latest$')).toEqual(['docker.io/library/busybox:latest']);

  await ctrOk(sock, 'ctr', 'images', 'label', 'docker.io/library/busybox:latest', 'tier=gold', 'owner=me');
  expect(await names('ctr', 'labels.tier==gold')).toEqual(['docker.io/library/busybox:latest']);
  const { image } = await clients.images.get({ name: 'docker.io/library/busybox:latest' }, inNamespace('ctr'));
  expect(image?.labels).toMatchObject({ tier: 'gold', owner: 'me' });
  expect(image?.target?.digest).toBe(DIGEST);

  await ctrOk(sock, 'ctr', 'images', 'label', 'docker.io/library/busybox:latest', 'tier=');
  expect(await names('ctr', 'labels.tier')).toEqual([]);

  await ctrOk(sock, 'ctr', 'images', 'rm', 'docker.io/library/busybox:latest');
  await ctrOk(sock, 'ctr', 'images', 'rm', '--sync', 'example.com/mirror/busybox:1.36');
  expect(await names('ctr')).toEqual(['docker.io/library/busybox:1.36']);
  expect(await names('other')).toEqual([]);
});

test('ctr reports errors from the server', async () => {
  const missing = await ctr(daemon.socket, 'ctr', 'images', 'tag', 'docker.io/library/nope:1', 'x:1');
  expect(missing.code).not.toBe(0);
  expect(missing.stderr).toMatch(/not found/);
  const badFilter = await ctr(daemon.socket, 'ctr', 'images', 'ls', '-q', 'name==');
  expect(badFilter.code).not.toBe(0);
  expect(badFilter.stderr).toMatch(/parse error|InvalidArgument|invalid/i);
  const badNamespace = await ctr(daemon.socket, 'Bad..Name', 'images', 'ls', '-q');
  expect(badNamespace.code).not.toBe(0);
  expect(badNamespace.stderr).toMatch(/namespace/);
});

test('ctr namespaces create, label, ls, rm', async () => {
  const sock = daemon.socket;
  await ctrOk(sock, 'default', 'namespaces', 'create', 'team-a', 'owner=ops');
  await ctrOk(sock, 'default', 'namespaces', 'label', 'team-a', 'tier=1');
  const ls = await ctrOk(sock, 'default', 'namespaces', 'ls');
  expect(ls).toMatch(/team-a\s+owner=ops,tier=1|team-a\s+tier=1,owner=ops/);
  expect(ls).toMatch(/^ctr\s/m);
  const nonEmpty = await ctr(sock, 'default', 'namespaces', 'rm', 'ctr');
  expect(nonEmpty.code).not.toBe(0);
  expect(nonEmpty.stderr).toMatch(/must be empty/);
  await ctrOk(sock, 'default', 'namespaces', 'rm', 'team-a');
  expect(await ctrOk(sock, 'default', 'namespaces', 'ls', '-q')).not.toMatch(/team-a/);
});

test('ctr leases create, ls, rm', async () => {
  const sock = daemon.socket;
  await ctrOk(sock, 'ctr', 'leases', 'create', '--id', 'build-1', 'purpose=test');
  expect(await ctrOk(sock, 'ctr', 'leases', 'ls')).toMatch(/build-1.*purpose=test/);
  await ctrOk(sock, 'ctr', 'leases', 'rm', 'build-1');
  expect(await ctrOk(sock, 'ctr', 'leases', 'ls', '-q')).not.toMatch(/build-1/);
});

test('ctr events sees image events', async () => {
  const events = spawn('ctr', ['--address', daemon.socket, 'events'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await clients.images.create(
    { image: { name: 'src:1', target: { mediaType: INDEX, digest: DIGEST, size: 500n } } },
    inNamespace('evt'),
  );
  events.stdout.on('data', (c: Buffer) => (out += c.toString()));
  try {
    // ctr subscribes asynchronously: publish until the first event shows up.
    for (let i = 0; !out.includes('/images/create') && i < 100; i++) {
      await ctrOk(daemon.socket, 'evt', 'images', 'tag', '--force', 'src:1', 'x/y:z').catch(() => '');
      await new Promise((r) => setTimeout(r, 100));
    }
    await ctr(daemon.socket, 'evt', 'images', 'rm', 'x/y:z');
    for (let i = 0; !out.includes('/images/delete') && i < 50; i++) await new Promise((r) => setTimeout(r, 100));
  } finally {
    events.kill();
  }
  expect(out).toMatch(/evt\s+\/images\/(create|update)\s+\{"name":"x\/y:z"/);
  expect(out).toMatch(/evt\s+\/images\/delete\s+\{"name":"x\/y:z"\}/);
});
