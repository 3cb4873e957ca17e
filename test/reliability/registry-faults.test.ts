/**
 * Registry faults, end to end: CRI PullImage through a fault-injecting proxy in front of the real
 * docker-registry. Transient faults (a reset in the middle of a layer, a 503) are retried (resuming
 * the layer from where it broke) and the pull succeeds; lasting ones fail with an error naming the
 * digest or the registry's status; a slow trickle still completes. Nothing unverified is ever
 * stored: no image record, no visible blob, and a later clean pull of the same image succeeds.
 */
import { createServiceClient } from '../../src/client/index.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { clientsFor, codeOf, inNamespace, messageOf } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { buildImage, type BuiltImage } from '../support/oci-fixture.js';
import { checkStore } from '../support/store-invariants.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from './support/fault-proxy.js';
import { plainHttpHosts, registryWith, type ImageRegistry } from './support/registry-fixture.js';
import { recordResults } from './support/results.js';

const LAYER_BYTES = 1 << 20;
const K8S = inNamespace('k8s.io');
const names = ['resume', 'retry', 'reset', 'corrupt', 'flaky', 'broken', 'slow'] as const;
const built = Object.fromEntries(names.map((n) => [n, buildImage({ layers: [{ randomBytes: LAYER_BYTES }, { files: { 'etc/name': n } }] })])) as Record<
  (typeof names)[number],
  BuiltImage
>;

let images: ImageRegistry;
let proxy: FaultProxy;
let daemon: ImagedProcess;
let c: ReturnType<typeof clientsFor>;
let cri: ReturnType<typeof createServiceClient<(typeof ImageService)['method']>>;

beforeAll(async () => {
  images = await registryWith(built);
  proxy = await startFaultProxy(images.registry.host);
  daemon = await startImaged({ args: ['--registry-config-dir', plainHttpHosts([proxy.host])] });
  c = clientsFor(daemon.socket);
  cri = createServiceClient(ImageService, daemon.socket);
}, 120_000);

afterEach(() => proxy.setRule(() => undefined));

afterAll(async () => {
  recordResults('registry-faults', { faultsInjected: proxy?.injected() });
  c?.close();
  cri?.close();
  await daemon?.stop();
  await proxy?.stop();
  await images?.registry.stop();
});

const ref = (name: (typeof names)[number]) => images.refOn(name, proxy.host);
const layerOf = (name: (typeof names)[number]) => built[name].layers[0]!.descriptor.digest;
const isLayerGet = (name: (typeof names)[number]): ((path: string) => boolean) => (path) => path === `/v2/test/${name}/blobs/${layerOf(name)}`;

/** A rule that faults the first `times` requests matching `match`. */
function firstTimes(times: number, match: (path: string) => boolean, fault: ReturnType<FaultRule>): FaultRule {
  let left = times;
  return (req) => (match(req.path) && left-- > 0 ? fault : undefined);
}

/** Nothing of `name` is stored: no image record and its layer is not visible; the store is consistent. */
async function expectNothingStored(name: (typeof names)[number]): Promise<void> {
  const listed = (await c.images.list({}, K8S)).images.map((im) => im.name);
  expect(listed.filter((n) => n.includes(`/test/${name}`))).toEqual([]);
  expect(await codeOf(c.content.info({ digest: layerOf(name) }, K8S))).toBe('NOT_FOUND');
  expect((await checkStore(c, daemon.root)).problems).toEqual([]);
}

test('a connection closed in the middle of a layer is retried from where it broke, and the pull succeeds', async () => {
  proxy.setRule(firstTimes(2, isLayerGet('resume'), { kind: 'cut', afterBytes: LAYER_BYTES / 2 }));
  await cri.pullImage({ image: { image: ref('resume') } });
  const layerGets = proxy.seen.filter((r) => isLayerGet('resume')(r.path));
  // Each retry asks for the rest from what was stored (bytes still buffered when the body broke are dropped).
  const starts = layerGets.map((r) => Number(/^bytes=(\d+)-$/.exec(r.range ?? 'bytes=0-')?.[1]));
  expect(starts.length).toBe(3);
  expect(starts[0]).toBe(0);
  expect(starts[1]).toBeGreaterThan(0);
  expect(starts[1]).toBeLessThanOrEqual(LAYER_BYTES / 2);
  expect(starts[2]).toBeGreaterThan(starts[1]!);
  expect((await c.content.info({ digest: layerOf('resume') }, K8S)).info?.size).toBe(BigInt(built.resume.layers[0]!.descriptor.size));
  expect((await checkStore(c, daemon.root)).problems).toEqual([]);
});

test('a connection reset in the middle of a layer is retried, and the pull succeeds', async () => {
  proxy.setRule(firstTimes(2, isLayerGet('retry'), { kind: 'reset', afterBytes: LAYER_BYTES / 2 }));
  await cri.pullImage({ image: { image: ref('retry') } });
  expect(proxy.seen.filter((r) => isLayerGet('retry')(r.path)).length).toBe(3);
  expect((await c.content.info({ digest: layerOf('retry') }, K8S)).info?.size).toBe(BigInt(built.retry.layers[0]!.descriptor.size));
  expect((await checkStore(c, daemon.root)).problems).toEqual([]);
});

test('a layer reset on every attempt fails the pull with UNAVAILABLE naming the reset; nothing is stored', async () => {
  proxy.setRule((req) => (isLayerGet('reset')(req.path) ? { kind: 'reset', afterBytes: 1000 } : undefined));
  const pull = cri.pullImage({ image: { image: ref('reset') } });
  expect(await codeOf(pull)).toBe('UNAVAILABLE');
  expect(await messageOf(pull)).toMatch(new RegExp(`reset|ended after .* of ${LAYER_BYTES}`));
  await expectNothingStored('reset');
});

test('wrong bytes for a layer digest fail the pull naming the digest; nothing is stored; a clean pull then succeeds', async () => {
  proxy.setRule((req) => (isLayerGet('corrupt')(req.path) ? { kind: 'corrupt' } : undefined));
  const pull = cri.pullImage({ image: { image: ref('corrupt') } });
  expect(await codeOf(pull)).toBe('FAILED_PRECONDITION');
  expect(await messageOf(pull)).toMatch(new RegExp(`the data has digest sha256:[0-9a-f]{64}, but ${layerOf('corrupt')} was expected`));
  await expectNothingStored('corrupt');
  proxy.setRule(() => undefined);
  await cri.pullImage({ image: { image: ref('corrupt') } });
  expect((await checkStore(c, daemon.root)).problems).toEqual([]);
});

test('a 503 on the manifest and on a layer is retried and the pull succeeds', async () => {
  const manifest = firstTimes(1, (p) => p.startsWith('/v2/test/flaky/manifests/'), { kind: 'status', status: 503 });
  const layer = firstTimes(1, isLayerGet('flaky'), { kind: 'status', status: 503 });
  proxy.setRule((req) => manifest(req) ?? layer(req));
  await cri.pullImage({ image: { image: ref('flaky') } });
  expect(await codeOf(c.content.info({ digest: layerOf('flaky') }, K8S))).toBe('OK');
});

test('a layer answered with 500 every time fails the pull naming the registry status; nothing is stored', async () => {
  proxy.setRule((req) => (isLayerGet('broken')(req.path) ? { kind: 'status', status: 500 } : undefined));
  const pull = cri.pullImage({ image: { image: ref('broken') } });
  expect(await codeOf(pull)).not.toBe('OK');
  expect(await messageOf(pull)).toMatch(/500/);
  expect(await messageOf(pull)).toContain(proxy.host);
  await expectNothingStored('broken');
});

test('a slow trickle of a layer still completes the pull', async () => {
  proxy.setRule((req) => (isLayerGet('slow')(req.path) ? { kind: 'trickle', bytesPerTick: 64 << 10, tickMs: 25 } : undefined));
  await cri.pullImage({ image: { image: ref('slow') } });
  expect((await c.content.info({ digest: layerOf('slow') }, K8S)).info?.size).toBe(BigInt(built.slow.layers[0]!.descriptor.size));
});
