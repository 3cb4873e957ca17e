import { ImagedError } from '../../src/errdefs/index.js';
import { children, MAX_REFERENCES, walkImage, type ImageDescriptor } from '../../src/images/handlers/index.js';
import { buildImage, buildIndex, buildMultiArch, jsonBlob, memoryProvider, providerFor, rootDescriptor } from '../support/oci-fixture.js';

const { index, images } = buildMultiArch();

test('children: an index lists its manifests with platforms, a manifest its config then layers, a layer nothing', async () => {
  const provider = providerFor(index);
  const fromIndex = await children(provider, index.index.descriptor);
  expect(fromIndex).toEqual(index.entries.map((e) => e.descriptor));
  expect(fromIndex.map((d) => d.platform)).toEqual([
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64' },
    { os: 'linux', architecture: 'arm', variant: 'v7' },
    { os: 'unknown', architecture: 'unknown' },
    { os: 'unknown', architecture: 'unknown' },
    { os: 'unknown', architecture: 'unknown' },
  ]);
  const fromManifest = await children(provider, images.arm64.manifest.descriptor);
  expect(fromManifest).toEqual([images.arm64.config.descriptor, ...images.arm64.layers.map((l) => l.descriptor)]);
  const before = provider.reads.length;
  expect(await children(provider, images.arm64.layers[0]!.descriptor)).toEqual([]);
  expect(await children(provider, images.arm64.config.descriptor)).toEqual([]);
  expect(provider.reads.length).toBe(before);
});

test('walkImage visits depth-first, parents first, each digest once', async () => {
  const shared = { files: { 'etc/base': 'shared base layer' } };
  const a = buildImage({ platform: 'linux/amd64', layers: [shared, { files: { a: 'a' } }] });
  const b = buildImage({ platform: 'linux/arm64', layers: [shared, { files: { b: 'b' } }] });
  const idx = buildIndex([a, b, { target: a, platform: 'linux/amd64/v2' }]);
  const seen: Array<[string, string | undefined]> = [];
  await walkImage(providerFor(idx), idx.index.descriptor, (d, parent) => {
    seen.push([d.digest, parent?.digest]);
  });
  const dg = (x: { descriptor: ImageDescriptor }): string => x.descriptor.digest;
  expect(seen).toEqual([
    [dg(idx.index), undefined],
    [dg(a.manifest), dg(idx.index)],
    [dg(a.config), dg(a.manifest)],
    [dg(a.layers[0]!), dg(a.manifest)],
    [dg(a.layers[1]!), dg(a.manifest)],
    [dg(b.manifest), dg(idx.index)],
    [dg(b.config), dg(b.manifest)],
    [dg(b.layers[1]!), dg(b.manifest)],
  ]);
  expect(a.layers[0]!.descriptor.digest).toBe(b.layers[0]!.descriptor.digest);
});

test("returning 'skip' leaves a blob's children unvisited", async () => {
  const visited: string[] = [];
  await walkImage(providerFor(index), index.index.descriptor, (d) => {
    visited.push(d.mediaType);
    return d.platform?.architecture === 'unknown' || d.platform?.architecture === 'arm64' ? 'skip' : undefined;
  });
  expect(visited.filter((m) => m.includes('manifest'))).toHaveLength(6);
  expect(visited.filter((m) => m.includes('in-toto'))).toHaveLength(0);
  expect(visited.filter((m) => m.includes('config'))).toHaveLength(2);
});

test('missing layers are not read; a missing manifest is NotFound', async () => {
  const provider = providerFor(index);
  provider.remove(...images.amd64.layers.map((l) => l.descriptor.digest));
  let count = 0;
  await walkImage(provider, index.index.descriptor, () => {
    count += 1;
  });
  expect(count).toBe(index.blobs.size);
  provider.remove(images.arm64.manifest.descriptor.digest);
  await expect(walkImage(provider, index.index.descriptor, () => undefined)).rejects.toMatchObject({
    kind: 'NotFound',
    message: expect.stringContaining(images.arm64.manifest.descriptor.digest),
  });
});

test('malformed documents fail the walk with FailedPrecondition naming the blob', async () => {
  const bad = jsonBlob('application/vnd.oci.image.manifest.v1+json', { config: { mediaType: 'x', digest: 'nope', size: 1 } });
  const provider = memoryProvider([[bad.descriptor.digest, bad.bytes]]);
  await expect(walkImage(provider, bad.descriptor, () => undefined)).rejects.toThrow(
    new RegExp(`^manifest ${bad.descriptor.digest} is malformed: config\\.digest: invalid digest "nope"`),
  );
});

test(`more than ${MAX_REFERENCES} references is ResourceExhausted`, async () => {
  const img = buildImage({ layers: [] });
  const wide = buildIndex(Array.from({ length: MAX_REFERENCES }, () => img));
  const err = await walkImage(providerFor(wide), rootDescriptor(wide), () => undefined).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImagedError);
  expect((err as ImagedError).kind).toBe('ResourceExhausted');
  const ok = buildIndex(Array.from({ length: MAX_REFERENCES - 2 }, () => img));
  await expect(walkImage(providerFor(ok), rootDescriptor(ok), () => undefined)).resolves.toBeUndefined();
});
