/** containerd's ctr (1.6.20) against imaged's Content service: ingest (and resume), ls, get, label, rm, active. */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/temp-dir.js';
import { ctr, ctrOk } from '../support/ctr.js';
import { clientsFor, codeOf, inNamespace } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';

let daemon: ImagedProcess;
let clients: ReturnType<typeof clientsFor>;
const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * Runs `ctr content ingest` with `data` on stdin, from a file (ctr seeks its input to resume an
 * ingest, which a pipe cannot do).
 */
const ingest = (ns: string, ref: string, data: Buffer, ...flags: string[]) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    const file = join(tempDir(), 'input');
    writeFileSync(file, data);
    const fd = openSync(file, 'r');
    const child = spawn('ctr', ['--address', daemon.socket, '-n', ns, 'content', 'ingest', ...flags, ref], { stdio: [fd, 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => {
      closeSync(fd);
      resolve({ code: code ?? -1, stderr });
    });
  });

/** `ctr content get` as raw bytes. */
const get = (ns: string, digest: string) =>
  new Promise<Buffer>((resolve, reject) => {
    execFile('ctr', ['--address', daemon.socket, '-n', ns, 'content', 'get', digest], { encoding: 'buffer', maxBuffer: 64 << 20 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });

beforeAll(async () => {
  daemon = await startImaged();
  clients = clientsFor(daemon.socket);
  // Content that only ctr's own lease protects is garbage once ctr drops the lease (as in
  // containerd); let the start-up collection pass before ingesting so it cannot race the tests.
  while (!daemon.stderr().includes('garbage collected')) await new Promise((r) => setTimeout(r, 10));
});
afterAll(async () => {
  clients.close();
  await daemon.stop();
});

test('ingest, ls with filters, get (identical bytes), label, rm', async () => {
  const a = randomBytes(3 << 20);
  const b = Buffer.from('hello content\n');
  expect((await ingest('c1', 'ref-a', a, '--expected-digest', sha(a), '--expected-size', String(a.length))).code).toBe(0);
  expect((await ingest('c1', 'ref-b', b)).code).toBe(0);
  const ls = await ctrOk(daemon.socket, 'c1', 'content', 'ls');
  expect(ls).toContain(sha(a));
  expect(ls).toContain(sha(b));
  expect((await ctrOk(daemon.socket, 'c1', 'content', 'ls', '-q')).split('\n').filter(Boolean).sort()).toEqual([sha(a), sha(b)].sort());
  expect(Buffer.compare(await get('c1', sha(a)), a)).toBe(0);
  expect((await get('c1', sha(b))).toString()).toBe('hello content\n');

  await ctrOk(daemon.socket, 'c1', 'content', 'label', sha(b), 'tier=gold', 'containerd.io/gc.root=1');
  expect((await ctrOk(daemon.socket, 'c1', 'content', 'ls', '-q', 'labels.tier==gold')).trim()).toBe(sha(b));
  expect((await ctrOk(daemon.socket, 'c1', 'content', 'ls', '-q', `digest==${sha(a)}`)).trim()).toBe(sha(a));
  const { info } = await clients.content.info({ digest: sha(b) }, inNamespace('c1'));
  expect(info?.labels).toEqual({ tier: 'gold', 'containerd.io/gc.root': '1' });
  expect(info?.size).toBe(BigInt(b.length));

  // Another namespace does not see c1's blobs.
  expect(await codeOf(clients.content.info({ digest: sha(b) }, inNamespace('c2')))).toBe('NOT_FOUND');
  expect((await ctr(daemon.socket, 'c2', 'content', 'get', sha(b))).code).not.toBe(0);

  await ctrOk(daemon.socket, 'c1', 'content', 'rm', sha(a));
  expect(await ctrOk(daemon.socket, 'c1', 'content', 'ls', '-q')).not.toContain(sha(a));
});

test('a wrong expected digest fails the ingest and stores nothing', async () => {
  const data = Buffer.from('some bytes');
  const r = await ingest('c3', 'ref-bad', data, '--expected-digest', `sha256:${'0'.repeat(64)}`);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toMatch(/digest|failed precondition/i);
  expect((await ctrOk(daemon.socket, 'c3', 'content', 'ls', '-q')).trim()).toBe('');
});

test('an interrupted ingest shows in content active and resumes to the right digest', async () => {
  const data = randomBytes(8 << 20);
  const child = spawn('ctr', ['--address', daemon.socket, '-n', 'c4', 'content', 'ingest', 'resume-me'], { stdio: ['pipe', 'ignore', 'pipe'] });
  let childErr = '';
  child.stderr.on('data', (c: Buffer) => (childErr += c.toString()));
  let killed = false;
  child.stdin.on('error', (err) => {
    // Input still in flight when ctr is killed fails with EPIPE; before that it is a real failure.
    if (!killed) throw new Error(`ctr stopped reading its input (${err.message}): ${childErr}`);
  });
  child.stdin.write(data.subarray(0, 3 << 20));
  // Wait until the server has the first part, then kill the client mid-write.
  for (let i = 0; i < 200; i++) {
    const { statuses } = await clients.content.listStatuses({}, inNamespace('c4'));
    if ((statuses[0]?.offset ?? 0n) >= BigInt(1 << 20)) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  killed = true;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, 200));
  const active = await ctrOk(daemon.socket, 'c4', 'content', 'active');
  expect(active).toMatch(/resume-me/);
  const { status } = await clients.content.status({ ref: 'resume-me' }, inNamespace('c4'));
  expect(status?.offset).toBeGreaterThan(0n);
  expect((await clients.content.listStatuses({ filters: ['ref==resume-me'] }, inNamespace('c4'))).statuses).toHaveLength(1);
  expect((await clients.content.listStatuses({ filters: ['ref==other'] }, inNamespace('c4'))).statuses).toHaveLength(0);

  const done = await ingest('c4', 'resume-me', data, '--expected-digest', sha(data));
  expect(done.stderr).toBe('');
  expect(done.code).toBe(0);
  expect(Buffer.compare(await get('c4', sha(data)), data)).toBe(0);
  expect((await ctrOk(daemon.socket, 'c4', 'content', 'active')).trim().split('\n')).toHaveLength(1);
});
