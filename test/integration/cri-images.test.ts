/** The CRI ImageService over the reference cache, with images imported by containerd's ctr. */
import { join } from 'node:path';
import { createServiceClient } from '../../src/client/index.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { ctrOk } from '../support/ctr.js';
import { clientsFor, codeOf, inNamespace } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { buildImage, buildMultiArch, rootDescriptor, writeOciArchive } from '../support/oci-fixture.js';
import { tempDir } from '../support/temp-dir.js';

let daemon: ImagedProcess;
let cri: ReturnType<typeof createServiceClient<(typeof ImageService)['method']>>;
let clients: ReturnType<typeof clientsFor>;

const multi = buildMultiArch({ layers: [{ randomBytes: 100_000 }, { files: { 'etc/x': 'y' } }] });
const app = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 20_000 }], config: { user: 'nobody' } });
const svc = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 30_000 }], config: { user: '1000:1000' } });

beforeAll(async () => {
  daemon = await startImaged();
  cri = createServiceClient(ImageService, daemon.socket);
  clients = clientsFor(daemon.socket);
  const archive = join(tempDir(), 'images.tar');
  writeOciArchive(archive, {
    'docker.io/library/busybox:1.36': multi.index,
    'registry.example.com/team/app:v1': app,
    'registry.example.com/team/svc:v2': svc,
  });
  await ctrOk(daemon.socket, 'k8s.io', 'images', 'import', '--no-unpack', '--all-platforms', archive);
  await ctrOk(daemon.socket, 'k8s.io', 'images', 'tag', 'registry.example.com/team/app:v1', 'registry.example.com/team/app:latest');
  await ctrOk(daemon.socket, 'k8s.io', 'images', 'label', 'registry.example.com/team/svc:v2', 'io.cri-containerd.pinned=pinned');
});
afterAll(async () => {
  cri.close();
  clients.close();
  await daemon.stop();
});

/** Waits until ListImages shows `count` images (imports reach the cache through events). */
async function listed(count: number) {
  for (let i = 0; i < 500; i++) {
    const { images } = await cri.listImages({});
    if (images.length === count) return images;
    await new Promise((r) => setTimeout(r, 10));
  }
  return (await cri.listImages({})).images;
}

test('ListImages: IDs are config digests, tags merged, size and user reported, pinned honoured', async () => {
  const images = await listed(3);
  const byId = new Map(images.map((i) => [i.id, i]));
  const busybox = byId.get(multi.images.amd64.config.descriptor.digest)!;
  expect(busybox.repoTags).toEqual(['docker.io/library/busybox:1.36']);
  const amd64 = multi.images.amd64;
  expect(busybox.size).toBe(
    BigInt(rootDescriptor(multi.index).size + amd64.manifest.descriptor.size + amd64.config.descriptor.size + amd64.layers.reduce((n, l) => n + l.descriptor.size, 0)),
  );
  const appImage = byId.get(app.config.descriptor.digest)!;
  expect(appImage.repoTags).toEqual(['registry.example.com/team/app:latest', 'registry.example.com/team/app:v1']);
  expect(appImage.username).toBe('nobody');
  expect(appImage.pinned).toBe(false);
  const svcImage = byId.get(svc.config.descriptor.digest)!;
  expect(svcImage.uid?.value).toBe(1000n);
  expect(svcImage.pinned).toBe(true);
});

test('ListImages honours the image filter (containerd ignores it)', async () => {
  await listed(3);
  const { images } = await cri.listImages({ filter: { image: { image: 'busybox:1.36' } } });
  expect(images.map((i) => i.id)).toEqual([multi.images.amd64.config.descriptor.digest]);
  expect((await cri.listImages({ filter: { image: { image: 'nothing:here' } } })).images).toEqual([]);
});

test('ImageStatus resolves normalized names, full and truncated IDs; unknown → empty response', async () => {
  await listed(3);
  const id = app.config.descriptor.digest;
  for (const ref of ['registry.example.com/team/app:v1', id, id.slice(0, 19), id.slice(7, 19)]) {
    expect((await cri.imageStatus({ image: { image: ref } })).image?.id).toBe(id);
  }
  expect((await cri.imageStatus({ image: { image: 'busybox:1.36' } })).image?.id).toBe(multi.images.amd64.config.descriptor.digest);
  expect((await cri.imageStatus({ image: { image: 'docker.io/library/missing:1' } })).image).toBeUndefined();
  const verbose = await cri.imageStatus({ image: { image: id }, verbose: true });
  const info = JSON.parse(verbose.info.info!) as { chainID: string; imageSpec: { config: { User: string } } };
  expect(info.chainID).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(info.imageSpec.config.User).toBe('nobody');
});

test('StreamImages sends every image; ImageFsInfo reports the content store', async () => {
  await listed(3);
  const got = [];
  for await (const batch of cri.streamImages({})) got.push(...batch.images);
  expect(got).toHaveLength(3);
  const fs = await cri.imageFsInfo({});
  expect(fs.imageFilesystems).toHaveLength(1);
  expect(fs.imageFilesystems[0]?.usedBytes?.value).toBeGreaterThan(150_000n);
  expect(fs.imageFilesystems[0]?.fsId?.mountpoint).toBe(join(daemon.root, 'content'));
});

test('RemoveImage removes every reference and the content; repeating it is fine', async () => {
  await listed(3);
  await cri.removeImage({ image: { image: 'registry.example.com/team/app:latest' } });
  expect((await cri.listImages({})).images.map((i) => i.id)).not.toContain(app.config.descriptor.digest);
  const names = (await ctrOk(daemon.socket, 'k8s.io', 'images', 'ls', '-q')).split('\n').filter(Boolean);
  expect(names).not.toContain('registry.example.com/team/app:v1');
  expect(await codeOf(clients.content.info({ digest: app.layers[0]!.descriptor.digest }, inNamespace('k8s.io')))).toBe('NOT_FOUND');
  await cri.removeImage({ image: { image: 'registry.example.com/team/app:latest' } });
});

test('a restart keeps the cache (facts are persisted) and health reports SERVING once loaded', async () => {
  await listed(2);
  await daemon.stop();
  daemon = await startImaged({ root: daemon.root });
  cri.close();
  cri = createServiceClient(ImageService, daemon.socket);
  const images = await listed(2);
  expect(images.map((i) => i.id).sort()).toEqual([multi.images.amd64.config.descriptor.digest, svc.config.descriptor.digest].sort());
});

test('a restart after a clean stop lists what was listed before; later changes and a crash are still reflected', async () => {
  const before = await listed(2);
  const restart = async (how: 'stop' | 'kill') => {
    await (how === 'stop' ? daemon.stop() : daemon.kill());
    daemon = await startImaged({ root: daemon.root });
    cri.close();
    cri = createServiceClient(ImageService, daemon.socket);
  };
  await restart('stop');
  // Answered from the list saved at the stop (possibly before the cache has loaded).
  expect((await cri.listImages({})).images).toEqual(before);
  await ctrOk(daemon.socket, 'k8s.io', 'images', 'tag', 'registry.example.com/team/svc:v2', 'registry.example.com/team/svc:v3');
  const tagged = async () => (await listed(2)).find((i) => i.id === svc.config.descriptor.digest)?.repoTags;
  const tags = ['registry.example.com/team/svc:v2', 'registry.example.com/team/svc:v3'];
  for (let i = 0; i < 100 && (await tagged())?.length !== 2; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await tagged()).toEqual(tags);
  // Killed: nothing saved, the saved list is stale and the next start rebuilds.
  await restart('kill');
  expect(await tagged()).toEqual(tags);
});
