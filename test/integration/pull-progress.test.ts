/** CRI pulls publish imaged.events.v1.PullProgress on /images/pull/progress; Events.Subscribe and ctr events see them. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import { createServiceClient } from '../../src/client/index.js';
import { subscribeLive } from '../../src/imagectl/event-subscription.js';
import { openSession, type Session } from '../../src/imagectl/session.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { BlobStatus, PullProgressSchema, type PullProgress } from '../../gen/imaged/events/v1/pull_pb.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { buildImage, writeOciLayout } from '../support/oci-fixture.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { pushOciLayout } from '../support/skopeo.js';
import { tempDir } from '../support/temp-dir.js';
import { codeOf } from '../support/clients.js';
import { hostsDir } from '../pull/support.js';

const TOPIC = '/images/pull/progress';
const image = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 3_000_000 }, { randomBytes: 1_000_000 }, { files: { 'etc/motd': 'hi' } }] });
let registry: Registry;
let daemon: ImagedProcess;
let session: Session;
let cri: ReturnType<typeof createServiceClient<(typeof ImageService)['method']>>;

beforeAll(async () => {
  registry = await startRegistry();
  const layout = join(tempDir(), 'layout');
  writeOciLayout(layout, { app: image });
  await pushOciLayout(layout, 'app', registry.host, 'team/app');
  const certs = hostsDir(registry.host.replace(':', '_'), `server = "http://${registry.host}"\n`);
  daemon = await startImaged({ args: ['--registry-config-dir', certs] });
  session = openSession(daemon.socket, undefined, process.stdout, process.stderr);
  cri = createServiceClient(ImageService, daemon.socket);
});
afterAll(async () => {
  cri.close();
  session.close();
  await daemon.stop();
  await registry.stop();
});

/** Pulls `ref` while subscribed; returns the pull's outcome and every progress event of it, in order. */
async function pullWatched(ref: string): Promise<{ outcome: Promise<unknown>; events: PullProgress[] }> {
  const subscription = await subscribeLive(session, [`topic==${JSON.stringify(TOPIC)}`], 'k8s.io');
  const outcome = cri.pullImage({ image: { image: ref } });
  outcome.catch(() => undefined);
  const events: PullProgress[] = [];
  for await (const envelope of subscription) {
    expect(envelope.namespace).toBe('k8s.io');
    expect(envelope.event?.typeUrl).toBe('imaged.events.v1.PullProgress');
    const progress = fromBinary(PullProgressSchema, envelope.event!.value);
    events.push(progress);
    if (progress.done) break;
  }
  subscription.cancel();
  return { outcome, events };
}

test('a pull reports start, monotonic progress per blob, and a final event with the image ID', async () => {
  const ref = `${registry.host}/team/app:app`;
  const { outcome, events } = await pullWatched(ref);
  await expect(outcome).resolves.toEqual(expect.objectContaining({ imageRef: image.config.descriptor.digest }));
  const [first] = events;
  expect(first).toEqual(expect.objectContaining({ reference: ref, done: false, downloadedBytes: 0n, imageRef: '' }));
  expect(new Set(events.map((e) => e.id)).size).toBe(1);
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.downloadedBytes).toBeGreaterThanOrEqual(events[i - 1]!.downloadedBytes);
    for (const blob of events[i - 1]!.blobs) {
      const later = events[i]!.blobs.find((b) => b.digest === blob.digest);
      expect(later?.offset).toBeGreaterThanOrEqual(blob.offset);
    }
  }
  expect(events.filter((e) => e.done)).toHaveLength(1);
  const last = events.at(-1)!;
  expect(last).toEqual(expect.objectContaining({ done: true, error: '', imageRef: image.config.descriptor.digest }));
  const stored = [image.manifest, image.config, ...image.layers].map((b) => b.descriptor);
  expect(last.blobs.map((b) => b.digest).sort()).toEqual(stored.map((d) => d.digest).sort());
  for (const blob of last.blobs) {
    expect(blob.status).toBe(BlobStatus.DONE);
    expect(blob.offset).toBe(blob.total);
    expect(blob.mediaType).toBe(stored.find((d) => d.digest === blob.digest)?.mediaType);
  }
  expect(last.downloadedBytes).toBe(BigInt(stored.reduce((sum, d) => sum + d.size, 0)));
});

test('pulling an image that is already there reports every blob as reused and downloads nothing new', async () => {
  const { outcome, events } = await pullWatched(`${registry.host}/team/app:app`);
  await outcome;
  const last = events.at(-1)!;
  expect(last.done).toBe(true);
  expect(last.blobs.map((b) => b.status)).toEqual(last.blobs.map(() => BlobStatus.REUSED));
  // Only the manifest is fetched again (to resolve the tag); layers are not.
  expect(last.downloadedBytes).toBe(0n);
});

test('a failed pull ends with a final event that carries the error', async () => {
  const ref = `${registry.host}/team/missing:1`;
  const { outcome, events } = await pullWatched(ref);
  expect(await codeOf(outcome)).toBe('NOT_FOUND');
  const last = events.at(-1)!;
  expect(last).toEqual(expect.objectContaining({ reference: ref, done: true, imageRef: '' }));
  expect(last.error).toContain('team/missing');
});

test('ctr events (1.6) names the type it cannot decode, skips it and keeps printing later events', async () => {
  const ctr = spawn('ctr', ['--address', daemon.socket, 'events'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  ctr.stdout.on('data', (c: Buffer) => (out += c.toString()));
  ctr.stderr.on('data', (c: Buffer) => (out += c.toString()));
  try {
    for (let i = 0; !out.includes('imaged.events.v1.PullProgress') && i < 100; i++) {
      await cri.pullImage({ image: { image: `${registry.host}/team/app:app` } });
      await new Promise((r) => setTimeout(r, 100));
    }
    await cri.removeImage({ image: { image: `${registry.host}/team/app:app` } });
    for (let i = 0; !out.includes('/images/delete') && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
    expect(ctr.exitCode).toBeNull();
  } finally {
    ctr.kill();
  }
  expect(out).toMatch(/cannot unmarshal an event from Any.*type with url imaged\.events\.v1\.PullProgress/);
  expect(out).toMatch(/k8s\.io\s+\/images\/delete/);
});
