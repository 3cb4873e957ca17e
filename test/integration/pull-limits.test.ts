/**
 * CRI PullImage against registries serving what imaged must refuse: a 2 GiB "manifest" (by
 * Content-Length, by an endless body without one, and as an index child that lies about its size),
 * more than 128 layers, and an oversized config. Each pull fails with RESOURCE_EXHAUSTED before the
 * body is read or any layer is requested, and nothing is stored.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createServiceClient } from '../../src/client/index.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { MAX_CONFIG_BYTES, MAX_LAYERS, MAX_MANIFEST_BYTES } from '../../src/images/handlers/index.js';
import { clientsFor, codeOf, inNamespace, messageOf } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { buildImage, jsonBlob, sha256, writeOciLayout, type Blob } from '../support/oci-fixture.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { pushOciLayout } from '../support/skopeo.js';
import { tempDir } from '../support/temp-dir.js';
import { hostsDir, startFake, type FakeServer } from '../pull/support.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const TWO_GIB = 2 ** 31;

/** A manifest naming a config of `configSize` bytes and `layerCount` layers, none of which exist. */
const manifestOf = (configSize: number, layerCount: number): Blob =>
  jsonBlob(OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256('config'), size: configSize },
    layers: Array.from({ length: layerCount }, (_, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(`layer ${i}`), size: 10 })),
  });
const manyLayers = manifestOf(100, MAX_LAYERS + 1);
const bigConfig = manifestOf(MAX_CONFIG_BYTES + 1, 1);
/** The index's child says 300 bytes; the registry answers for it with 2 GiB. */
const child = { mediaType: OCI_MANIFEST, digest: sha256('child'), size: 300 };
const index = jsonBlob(OCI_INDEX, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [child] });

/** Bytes the fake registry wrote into each flood (a body it would stream up to 2 GiB). */
const flooded: number[] = [];
/** Writes up to 2 GiB of spaces into `res`, stopping when the client goes away. */
function flood(res: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const slot = flooded.push(0) - 1;
  const pump = (): void => {
    while (!res.destroyed && (flooded[slot] ?? 0) < TWO_GIB) {
      flooded[slot] = (flooded[slot] ?? 0) + chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
}

const serve = (res: ServerResponse, head: boolean, doc: Blob): void => {
  res.writeHead(200, { 'content-type': doc.descriptor.mediaType, 'docker-content-digest': doc.descriptor.digest, 'content-length': doc.bytes.length });
  res.end(head ? undefined : doc.bytes);
};

let fake: FakeServer;
let registry: Registry;
let daemon: ImagedProcess;
let cri: ReturnType<typeof createServiceClient<(typeof ImageService)['method']>>;
let clients: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  fake = await startFake((req, res) => {
    const head = req.method === 'HEAD';
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path === '/v2/huge/length/manifests/v1') {
      // No digest on HEAD, so the client must GET; the GET declares 2 GiB.
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': head ? '0' : String(TWO_GIB) });
      return head ? void res.end() : flood(res);
    }
    if (path === '/v2/huge/stream/manifests/v1') {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'transfer-encoding': 'chunked' });
      return head ? void res.end() : flood(res);
    }
    const byTagOrDigest = (repo: string, doc: Blob) => path === `/v2/${repo}/manifests/v1` || path === `/v2/${repo}/manifests/${doc.descriptor.digest}`;
    if (byTagOrDigest('huge/child', index)) return serve(res, head, index);
    if (path === `/v2/huge/child/manifests/${child.digest}`) {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': String(TWO_GIB) });
      return head ? void res.end() : flood(res);
    }
    if (byTagOrDigest('many/layers', manyLayers)) return serve(res, head, manyLayers);
    if (byTagOrDigest('big/config', bigConfig)) return serve(res, head, bigConfig);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NOT_FOUND","message":"not here"}]}');
  });
  registry = await startRegistry();
  const tall = buildImage({ layers: Array.from({ length: MAX_LAYERS + 1 }, (_, i) => ({ files: { [`f${i}`]: `${i}` } })) });
  const layout = join(tempDir(), 'layout');
  writeOciLayout(layout, { tall });
  await pushOciLayout(layout, 'tall', registry.host, 'team/tall');
  const certs = hostsDir(fake.host.replace(':', '_'), `server = "http://${fake.host}"\n`);
  mkdirSync(join(certs, registry.host.replace(':', '_')));
  writeFileSync(join(certs, registry.host.replace(':', '_'), 'hosts.toml'), `server = "http://${registry.host}"\n`);
  daemon = await startImaged({ args: ['--registry-config-dir', certs] });
  cri = createServiceClient(ImageService, daemon.socket);
  clients = clientsFor(daemon.socket);
}, 120_000);
afterAll(async () => {
  cri.close();
  clients.close();
  await daemon.stop();
  await fake.stop();
  await registry.stop();
});

test.each([
  ['a manifest whose Content-Length is 2 GiB', 'huge/length:v1', `is ${TWO_GIB} bytes, more than the ${MAX_MANIFEST_BYTES} imaged accepts`],
  ['an endless manifest without Content-Length', 'huge/stream:v1', `is larger than the ${MAX_MANIFEST_BYTES} bytes imaged accepts`],
  ['an index child served as 2 GiB', 'huge/child:v1', `sent ${TWO_GIB} bytes for manifest ${child.digest} of `],
  [`a manifest with ${MAX_LAYERS + 1} layers`, 'many/layers:v1', `(manifest ${manyLayers.descriptor.digest}) has ${MAX_LAYERS + 1} layers, more than the ${MAX_LAYERS} imaged pulls`],
  ['a config over 8 MiB', 'big/config:v1', `has a config ${sha256('config')} of ${MAX_CONFIG_BYTES + 1} bytes, more than the ${MAX_CONFIG_BYTES} imaged accepts`],
])('%s is refused with RESOURCE_EXHAUSTED', async (_name, ref, message) => {
  const pull = () => cri.pullImage({ image: { image: `${fake.host}/${ref}` } });
  expect(await codeOf(pull())).toBe('RESOURCE_EXHAUSTED');
  expect(await messageOf(pull())).toContain(message);
});

test(`a real registry's image with ${MAX_LAYERS + 1} layers is refused too`, async () => {
  const err = cri.pullImage({ image: { image: `${registry.host}/team/tall:tall` } });
  expect(await messageOf(err)).toMatch(new RegExp(`^image ${registry.host}/team/tall:tall \\(manifest sha256:[0-9a-f]{64}\\) has ${MAX_LAYERS + 1} layers, more than the ${MAX_LAYERS} imaged pulls$`));
});

test('no body was read whole, no config or layer was requested, and nothing was stored', async () => {
  expect(flooded.length).toBeGreaterThan(0);
  // What got written before the client hung up is socket buffers, far from the 2 GiB on offer.
  for (const bytes of flooded) expect(bytes).toBeLessThan(64 << 20);
  expect(fake.seen.filter((r) => r.url.includes('/blobs/'))).toEqual([]);
  const ns = inNamespace('k8s.io');
  expect((await clients.content.listStatuses({}, ns)).statuses).toEqual([]);
  const stored: string[] = [];
  for await (const r of clients.content.list({}, ns)) stored.push(...r.info.map((i) => i.digest));
  expect(stored).toEqual([]);
  expect((await clients.images.list({}, ns)).images).toEqual([]);
});
