import { imageSize } from '../../src/images/handlers/index.js';
import { onlyPlatform, parsePlatform } from '../../src/platforms/index.js';
import { buildImage, buildIndex, buildMultiArch, providerFor, rootDescriptor, type BuiltImage } from '../support/oci-fixture.js';

const only = (s: string) => onlyPlatform(parsePlatform(s));
const own = (img: BuiltImage): number =>
  img.manifest.descriptor.size + img.config.descriptor.size + img.layers.reduce((n, l) => n + l.descriptor.size, 0);

describe('imageSize', () => {
  const { index, images } = buildMultiArch({ layers: [{ files: { a: 'a' } }, { randomBytes: 5000 }] });

  test.each([
    ['linux/amd64', 'amd64'],
    ['linux/arm64', 'arm64'],
    ['linux/arm/v7', 'armv7'],
  ] as const)('for %s: index + that manifest + its config + its layers', async (platform, which) => {
    const size = await imageSize(providerFor(index), index.index.descriptor, only(platform));
    expect(size).toBe(index.index.descriptor.size + own(images[which]));
  });

  test('a single manifest: manifest + config + layers', async () => {
    expect(await imageSize(providerFor(images.arm64), images.arm64.manifest.descriptor, only('linux/amd64'))).toBe(own(images.arm64));
  });

  test('missing layers and configs are counted from their descriptors', async () => {
    const provider = providerFor(index);
    provider.remove(images.amd64.config.descriptor.digest, ...images.amd64.layers.map((l) => l.descriptor.digest));
    expect(await imageSize(provider, index.index.descriptor, only('linux/amd64'))).toBe(index.index.descriptor.size + own(images.amd64));
    expect(provider.reads).toEqual([index.index.descriptor.digest, images.amd64.manifest.descriptor.digest]);
  });

  test('a missing chosen manifest is NotFound', async () => {
    const provider = providerFor(index);
    provider.remove(images.arm64.manifest.descriptor.digest);
    await expect(imageSize(provider, index.index.descriptor, only('linux/arm64'))).rejects.toMatchObject({ kind: 'NotFound' });
    await expect(imageSize(provider, index.index.descriptor, only('linux/amd64'))).resolves.toBeGreaterThan(0);
  });

  test('with no matching entry, containerd still counts the first one', async () => {
    expect(await imageSize(providerFor(index), index.index.descriptor, only('linux/riscv64'))).toBe(index.index.descriptor.size + own(images.amd64));
  });

  test('an empty index is NotFound', async () => {
    const empty = buildIndex([]);
    await expect(imageSize(providerFor(empty), rootDescriptor(empty), only('linux/amd64'))).rejects.toThrow(/it lists no manifests/);
  });

  test('a layer referenced twice is counted twice', async () => {
    const layer = { files: { same: 'same' } };
    const img = buildImage({ layers: [layer, layer] });
    expect(img.layers[0]!.descriptor.digest).toBe(img.layers[1]!.descriptor.digest);
    expect(await imageSize(providerFor(img), img.manifest.descriptor)).toBe(own(img));
  });

  test('nested indexes count every index on the way', async () => {
    const outer = buildIndex([{ target: index, platform: null }]);
    expect(await imageSize(providerFor(outer), rootDescriptor(outer), only('linux/arm64'))).toBe(
      outer.index.descriptor.size + index.index.descriptor.size + own(images.arm64),
    );
  });
});
