/**
 * A full disk: the daemon's root is a small tmpfs. Filling it through Content.Write, Images.Create
 * and CRI PullImage must answer RESOURCE_EXHAUSTED naming the full disk and where, corrupt nothing
 * (the store invariants hold, metadata answers as before), and once the tmpfs is remounted bigger
 * the same writes and the pull succeed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServiceClient } from '../../src/client/index.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { clientsFor, codeOf, inNamespace, messageOf } from '../support/clients.js';
import { putBlob, readBlob, sha } from '../support/content-io.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { buildImage } from '../support/oci-fixture.js';
import { checkStore } from '../support/store-invariants.js';
import { healthOf } from './support/health.js';
import { plainHttpHosts, registryWith, type ImageRegistry } from './support/registry-fixture.js';

const TMPFS_MB = 48;
const BIGGER_MB = 160;
const BLOB_BYTES = 4 << 20;
const LABEL_BYTES = 4000;
const NS = 'disk-full';
const LEASE = 'keep';

let mountPoint: string;
let daemon: ImagedProcess;
let c: ReturnType<typeof clientsFor>;
let cri: ReturnType<typeof createServiceClient<(typeof ImageService)['method']>>;
let images: ImageRegistry;
const app = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 12 << 20 }, { randomBytes: 64 << 10 }] });
const written: string[] = [];
const created: string[] = [];
const MAX_CREATES = 500;
const CALL_TIMEOUT_MS = 15_000;
const filler = () => join(mountPoint, 'filler');
const target = () => ({ mediaType: 'application/octet-stream', digest: written[0]!, size: BigInt(BLOB_BYTES) });

/** Takes every byte left on the tmpfs with a file outside the daemon's directories (large pieces, then single pages). */
function fillDisk(): void {
  const fd = openSync(filler(), 'a');
  try {
    for (const piece of [Buffer.alloc(64 << 10), Buffer.alloc(4096)]) {
      try {
        for (;;) writeSync(fd, piece);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    }
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  images = await registryWith({ app });
  mountPoint = mkdtempSync(join(tmpdir(), 'imaged-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'tmpfs', mountPoint]);
  daemon = await startImaged({ root: mountPoint, args: ['--registry-config-dir', plainHttpHosts([images.registry.host])] });
  c = clientsFor(daemon.socket);
  await c.leases.create({ id: LEASE }, inNamespace(NS));
  cri = createServiceClient(ImageService, daemon.socket);
}, 120_000);

afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts) console.log(`daemon log:\n${daemon?.stderr().slice(-4000)}`);
});

afterAll(async () => {
  c?.close();
  cri?.close();
  await daemon?.stop();
  await images?.registry.stop();
  if (mountPoint !== undefined) {
    execFileSync('umount', [mountPoint]);
    rmdirSync(mountPoint);
  }
});

test('filling the disk through Content.Write answers RESOURCE_EXHAUSTED naming the disk; stored blobs stay whole', async () => {
  let failure: Promise<unknown> | undefined;
  for (let i = 0; i < (TMPFS_MB << 20) / BLOB_BYTES + 2; i++) {
    const data = randomBytes(BLOB_BYTES);
    const attempt = putBlob(c, NS, data, { lease: LEASE, timeoutMs: CALL_TIMEOUT_MS });
    if ((await codeOf(attempt)) !== 'OK') {
      failure = attempt;
      break;
    }
    written.push(sha(data));
  }
  expect(failure).toBeDefined();
  expect(await codeOf(failure!)).toBe('RESOURCE_EXHAUSTED');
  expect(await messageOf(failure!)).toContain(`the disk holding ${join(mountPoint, 'content')} is full (no space left on device)`);
  expect(await healthOf(daemon.socket)).toBe('SERVING');
  expect((await checkStore(c, mountPoint)).problems).toEqual([]);
});

test('on a completely full disk metadata writes answer RESOURCE_EXHAUSTED; acknowledged records stay, refused ones are absent', async () => {
  fillDisk();
  const tiny = putBlob(c, NS, randomBytes(1 << 20), { lease: LEASE, timeoutMs: CALL_TIMEOUT_MS });
  expect(await codeOf(tiny)).toBe('RESOURCE_EXHAUSTED');
  let refused: Promise<unknown> | undefined;
  for (let i = 0; i < MAX_CREATES && refused === undefined; i++) {
    const name = `example.com/full/img-${i}:v1`;
    const create = c.images.create({ image: { name, labels: { big: 'x'.repeat(LABEL_BYTES) }, target: target() } }, { ...inNamespace(NS), timeoutMs: CALL_TIMEOUT_MS });
    if ((await codeOf(create)) === 'OK') created.push(name);
    else refused = create;
  }
  expect(refused).toBeDefined();
  expect(await codeOf(refused!)).toBe('RESOURCE_EXHAUSTED');
  expect(await messageOf(refused!)).toContain(`the disk holding ${join(mountPoint, 'metadata')} is full`);
  expect(await healthOf(daemon.socket)).toBe('SERVING');
  const listed = (await c.images.list({}, inNamespace(NS))).images.map((im) => im.name);
  expect(listed.sort()).toEqual([...created].sort());
});

test('CRI PullImage on the full disk answers RESOURCE_EXHAUSTED and records no image', async () => {
  const pull = cri.pullImage({ image: { image: images.refOn('app') } });
  expect(await codeOf(pull)).toBe('RESOURCE_EXHAUSTED');
  expect(await messageOf(pull)).toContain(`the disk holding ${join(mountPoint, 'content')} is full`);
  expect(await healthOf(daemon.socket)).toBe('SERVING');
  expect((await checkStore(c, mountPoint)).problems).toEqual([]);
  expect((await c.images.list({}, inNamespace('k8s.io'))).images).toEqual([]);
});

test('with space back (a file deleted, then the tmpfs remounted bigger) writes and the pull succeed and every invariant holds', async () => {
  rmSync(filler());
  const name = 'example.com/full/after:v1';
  await c.images.create({ image: { name, target: target() } }, inNamespace(NS));
  const data = randomBytes(1 << 20);
  await putBlob(c, NS, data, { lease: LEASE });
  expect(sha(await readBlob(c, NS, sha(data)))).toBe(sha(data));
  execFileSync('mount', ['-o', `remount,size=${BIGGER_MB}m`, mountPoint]);
  await cri.pullImage({ image: { image: images.refOn('app') } });
  const report = await checkStore(c, mountPoint);
  expect(report.problems).toEqual([]);
  expect(report.images.get('k8s.io')?.size).toBeGreaterThan(0);
  expect([...(report.images.get(NS) ?? [])].sort()).toEqual([...created, name].sort());
});
