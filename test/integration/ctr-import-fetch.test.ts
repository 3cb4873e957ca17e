/**
 * Real images through imaged with containerd's ctr: `images import --no-unpack` of an OCI archive,
 * `images ls` (which reads indexes, manifests and configs through our Content.Read), `images rm
 * --sync` collecting the content, and `content fetch --plain-http` from Debian's registry.
 */
import { join } from 'node:path';
import { ctrOk } from '../support/ctr.js';
import { clientsFor, inNamespace } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { buildImage, buildMultiArch, rootDescriptor, writeOciArchive, writeOciLayout } from '../support/oci-fixture.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { pushOciLayout } from '../support/skopeo.js';
import { tempDir } from '../support/temp-dir.js';

let daemon: ImagedProcess;
let clients: ReturnType<typeof clientsFor>;
let registry: Registry;

beforeAll(async () => {
  daemon = await startImaged();
  clients = clientsFor(daemon.socket);
  registry = await startRegistry();
});
afterAll(async () => {
  clients.close();
  await registry.stop();
  await daemon.stop();
});

/** Digests of the blobs namespace `ns` sees, through Content.List. */
const visible = async (ns: string) => {
  const digests: string[] = [];
  for await (const batch of clients.content.list({}, inNamespace(ns))) digests.push(...batch.info.map((i) => i.digest));
  return digests;
};

test('images import --no-unpack, images ls shows size and platforms, images rm --sync collects the content', async () => {
  const multi = buildMultiArch({ layers: [{ randomBytes: 200_000 }, { files: { 'etc/hello': 'hi\n' } }] });
  const single = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 50_000 }], config: { user: '1000:1000' } });
  const archive = join(tempDir(), 'images.tar');
  writeOciArchive(archive, { 'example.com/test/multi:1': multi.index, 'example.com/test/single:1': single });

  await ctrOk(daemon.socket, 'imp', 'images', 'import', '--no-unpack', '--all-platforms', archive);
  const names = (await ctrOk(daemon.socket, 'imp', 'images', 'ls', '-q')).split('\n').filter(Boolean);
  expect(names).toEqual(['example.com/test/multi:1', 'example.com/test/single:1']);

  const ls = await ctrOk(daemon.socket, 'imp', 'images', 'ls');
  const multiRow = ls.split('\n').find((l) => l.startsWith('example.com/test/multi:1'))!;
  const singleRow = ls.split('\n').find((l) => l.startsWith('example.com/test/single:1'))!;
  expect(multiRow).toContain(rootDescriptor(multi.index).digest);
  expect(multiRow).toMatch(/linux\/amd64,linux\/arm\/v7,linux\/arm64/);
  expect(singleRow).toMatch(/linux\/amd64/);
  // Size as ctr computes it for the host platform: index + manifest + config + layers.
  const amd64 = multi.images.amd64;
  const expected = rootDescriptor(multi.index).size + amd64.manifest.descriptor.size + amd64.config.descriptor.size + amd64.layers.reduce((n, l) => n + l.descriptor.size, 0);
  expect(multiRow).toMatch(new RegExp(`\\s${(expected / 1024).toFixed(1).replace('.', '\\.')} KiB\\s`));

  // gc.ref labels were set on the index and manifests by ctr's import through Content.Update.
  const { info } = await clients.content.info({ digest: rootDescriptor(multi.index).digest }, inNamespace('imp'));
  expect(Object.keys(info?.labels ?? {}).filter((k) => k.startsWith('containerd.io/gc.ref.content.m.'))).toHaveLength(6);

  const before = await visible('imp');
  expect(before).toEqual(expect.arrayContaining([...multi.index.blobs.keys(), ...single.blobs.keys()]));
  await ctrOk(daemon.socket, 'imp', 'images', 'rm', '--sync', 'example.com/test/multi:1');
  const after = await visible('imp');
  for (const digest of multi.index.blobs.keys()) if (!single.blobs.has(digest)) expect(after).not.toContain(digest);
  expect(after).toEqual(expect.arrayContaining([...single.blobs.keys()]));
});

test('content fetch --plain-http from a real registry stores every blob of the platform', async () => {
  const image = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 300_000 }, { files: { 'a/b': 'c' } }] });
  const layout = join(tempDir(), 'layout');
  writeOciLayout(layout, { v1: image });
  await pushOciLayout(layout, 'v1', registry.host, 'test/fetched');

  const ref = `${registry.host}/test/fetched:v1`;
  await ctrOk(daemon.socket, 'fetch', 'content', 'fetch', '--plain-http', ref);
  const stored = await visible('fetch');
  expect(stored).toEqual(expect.arrayContaining([...image.blobs.keys()]));
  const got = await clients.images.get({ name: ref }, inNamespace('fetch'));
  expect(got.image?.target?.digest).toBe(image.manifest.descriptor.digest);
  // The layer bytes round-trip through Content.Read.
  const layer = image.layers[0]!;
  const chunks: Uint8Array[] = [];
  for await (const r of clients.content.read({ digest: layer.descriptor.digest }, inNamespace('fetch'))) chunks.push(r.data);
  expect(Buffer.compare(Buffer.concat(chunks), Buffer.from(layer.bytes))).toBe(0);
});
