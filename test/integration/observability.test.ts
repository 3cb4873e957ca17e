/** Logs and metrics of the real daemon: ctr calls, a CRI pull from a real registry, a collection. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServiceClient } from '../../src/client/index.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { ctrOk } from '../support/ctr.js';
import { clientsFor, codeOf } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { metricsAddressOf, scrape, valueOf, waitForLog, type Scrape } from '../support/metrics.js';
import { buildImage, writeOciLayout } from '../support/oci-fixture.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { pushOciLayout } from '../support/skopeo.js';
import { createTestPki } from '../support/tls.js';
import { tempDir } from '../support/temp-dir.js';

const PASSWORD = 'obs-s3cret-pw';
const WRONG_PASSWORD = 'obs-wr0ng-pw';
const image = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 300_000 }] });
const blobs = [image.manifest, image.config, ...image.layers].map((b) => b.descriptor.size);
const imageBytes = blobs.reduce((a, b) => a + b, 0);

let daemon: ImagedProcess;
let registry: Registry;
let address: string;
let cri: ReturnType<typeof createServiceClient<(typeof ImageService)['method']>>;
let clients: ReturnType<typeof clientsFor>;

/** Parsed JSON log lines of the daemon so far. */
const logLines = (): Record<string, unknown>[] =>
  daemon
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** `after - before` for one series. */
const delta = (before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}): number =>
  valueOf(after, name, labels) - valueOf(before, name, labels);

beforeAll(async () => {
  const pki = createTestPki(tempDir());
  registry = await startRegistry({ tls: { cert: pki.server.certPath, key: pki.server.keyPath }, auth: { htpasswd: { user: 'puller', password: PASSWORD } } });
  const layout = join(tempDir(), 'layout');
  writeOciLayout(layout, { app: image });
  await pushOciLayout(layout, 'app', registry.host, 'private/app', { creds: `puller:${PASSWORD}`, certDir: pki.certDir });
  const certs = join(tempDir(), 'certs.d');
  const hostDir = join(certs, registry.host.replace(':', '_'));
  mkdirSync(hostDir, { recursive: true });
  writeFileSync(join(hostDir, 'hosts.toml'), `server = "https://${registry.host}"\n[host."https://${registry.host}"]\n  ca = "${pki.ca.certPath}"\n`);
  daemon = await startImaged({ args: ['--registry-config-dir', certs, '--metrics-address', '127.0.0.1:0', '--log-level', 'debug'] });
  address = await metricsAddressOf(daemon);
  cri = createServiceClient(ImageService, daemon.socket);
  clients = clientsFor(daemon.socket);
  // The startup collection runs once; wait for it so that the collection counted below is ours.
  await waitForLog(daemon, /garbage collected/);
});
afterAll(async () => {
  cri.close();
  clients.close();
  await daemon.stop();
  await registry.stop();
});

test('the endpoint binds the asked-for host and serves process metrics too', async () => {
  expect(address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
  const samples = await scrape(address);
  expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  expect(valueOf(samples, 'imaged_gc_runs_total', { result: 'success' })).toBeGreaterThanOrEqual(1);
});

test('a ctr call is counted by service, method and code, and logged with its namespace and duration', async () => {
  const labels = { grpc_service: 'containerd.services.images.v1.Images', grpc_method: 'List', grpc_code: 'OK' };
  const before = await scrape(address);
  await ctrOk(daemon.socket, 'obs-ns', 'images', 'ls');
  const after = await scrape(address);
  expect(delta(before, after, 'imaged_grpc_server_handled_total', labels)).toBe(1);
  expect(delta(before, after, 'imaged_grpc_server_handling_seconds_count', labels)).toBe(1);
  expect(delta(before, after, 'imaged_grpc_server_handling_seconds_bucket', { ...labels, le: '+Inf' })).toBe(1);
  const line = logLines().find((l) => l['method'] === '/containerd.services.images.v1.Images/List' && l['namespace'] === 'obs-ns');
  expect(line).toMatchObject({ level: 'debug', msg: 'rpc', component: 'grpc', code: 'OK', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(typeof line?.['durationMs']).toBe('number');
});

test('an incoming x-request-id is logged as given; a client error is logged with its message and counted by code', async () => {
  const labels = { grpc_service: 'containerd.services.images.v1.Images', grpc_method: 'Get', grpc_code: 'NOT_FOUND' };
  const before = await scrape(address);
  const call = clients.images.get({ name: 'no/such:image' }, { metadata: { 'containerd-namespace': 'obs-ns', 'x-request-id': 'obs-req-1' } });
  expect(await codeOf(call)).toBe('NOT_FOUND');
  expect(delta(before, await scrape(address), 'imaged_grpc_server_handled_total', labels)).toBe(1);
  expect(logLines().find((l) => l['requestId'] === 'obs-req-1')).toMatchObject({
    msg: 'rpc failed',
    method: '/containerd.services.images.v1.Images/Get',
    code: 'NOT_FOUND',
    error: expect.stringContaining('no/such:image'),
  });
});

test('pulls: refused credentials never reach the log; bytes, duration, throughput, content and CRI gauges move; GC frees it all', async () => {
  const ref = `${registry.host}/private/app:app`;
  const before = await scrape(address);
  const refused = cri.pullImage({ image: { image: ref }, auth: { username: 'puller', password: WRONG_PASSWORD } });
  expect(await codeOf(refused)).toBe('PERMISSION_DENIED');
  await cri.pullImage({ image: { image: ref }, auth: { username: 'puller', password: PASSWORD } });
  const pulled = await scrape(address);

  const pullLines = logLines().filter((l) => l['method'] === '/runtime.v1.ImageService/PullImage');
  expect(pullLines.map((l) => l['code'])).toEqual(['PERMISSION_DENIED', 'OK']);
  expect(pullLines[0]).toMatchObject({ level: 'info', msg: 'rpc failed' });
  expect(daemon.stderr()).toContain('image pulled');
  expect(daemon.stderr()).not.toContain(WRONG_PASSWORD);
  expect(daemon.stderr()).not.toContain(PASSWORD);
  expect(daemon.stderr()).not.toContain(Buffer.from(`puller:${WRONG_PASSWORD}`).toString('base64'));

  expect(delta(before, pulled, 'imaged_pull_bytes_total')).toBe(imageBytes);
  expect(delta(before, pulled, 'imaged_pull_duration_seconds_count', { result: 'error' })).toBe(1);
  expect(delta(before, pulled, 'imaged_pull_duration_seconds_count', { result: 'success' })).toBe(1);
  expect(delta(before, pulled, 'imaged_pull_throughput_bytes_per_second_count')).toBe(1);
  expect(valueOf(pulled, 'imaged_pulls_in_flight')).toBe(0);
  expect(valueOf(pulled, 'imaged_content_bytes')).toBe(imageBytes);
  expect(valueOf(pulled, 'imaged_content_blobs')).toBe(blobs.length);
  expect(valueOf(pulled, 'imaged_cri_images')).toBe(1);
  expect(valueOf(pulled, 'imaged_cri_references')).toBe(3);

  await cri.removeImage({ image: { image: ref } });
  const collected = await scrape(address);
  expect(delta(pulled, collected, 'imaged_gc_runs_total', { result: 'success' })).toBeGreaterThanOrEqual(1);
  expect(delta(pulled, collected, 'imaged_gc_freed_bytes_total')).toBe(imageBytes);
  expect(delta(pulled, collected, 'imaged_gc_deleted_blobs_total')).toBe(blobs.length);
  expect(delta(pulled, collected, 'imaged_gc_removed_records_total', { kind: 'content' })).toBe(blobs.length);
  expect(valueOf(collected, 'imaged_content_bytes')).toBe(0);
  expect(valueOf(collected, 'imaged_cri_images')).toBe(0);
  expect(valueOf(collected, 'imaged_cri_references')).toBe(0);
});

test('--log-format text writes one readable line per record; no metrics endpoint unless asked', async () => {
  const text = await startImaged({ args: ['--log-format', 'text'] });
  // The socket answers a moment before the signal handlers are installed.
  await waitForLog(text, /imaged serving/);
  expect(await text.stop()).toBe(0);
  // The exit can be reported before the last of stderr has been read.
  await waitForLog(text, /imaged stopped/);
  const lines = text.stderr().trimEnd().split('\n');
  expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO  imaged serving socket=\S+ root=\S+ /);
  expect(lines[0]).not.toContain('metricsAddress');
  expect(lines.at(-1)).toMatch(/Z INFO  imaged stopped$/);
});
