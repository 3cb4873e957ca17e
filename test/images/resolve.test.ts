import {
  chainId,
  chainIds,
  diffIds,
  imageConfig,
  imagePlatforms,
  resolveManifest,
  userOf,
} from '../../src/images/handlers/index.js';
import {
  allPlatforms,
  defaultPlatformMatcher,
  hostPlatform,
  onlyPlatform,
  parsePlatform,
  platformMatcher,
} from '../../src/platforms/index.js';
import { blob, buildImage, buildIndex, buildMultiArch, providerFor, rootDescriptor } from '../support/oci-fixture.js';

const only = (s: string) => onlyPlatform(parsePlatform(s));

describe.each(['oci', 'docker'] as const)('platform selection on a buildx-style %s index', (mediaTypes) => {
  const { index, images } = buildMultiArch({ mediaTypes });
  const provider = providerFor(index);
  const target = index.index.descriptor;

  test.each([
    ['linux/amd64', 'amd64'],
    ['linux/arm64', 'arm64'],
    ['linux/arm64/v8', 'arm64'],
    ['linux/arm/v7', 'armv7'],
    ['linux/arm/v8', 'armv7'],
    ['linux/arm', 'armv7'],
  ] as const)('%s → %s', async (platform, expected) => {
    const resolved = await resolveManifest(provider, target, only(platform));
    expect(resolved.descriptor.digest).toBe(images[expected].manifest.descriptor.digest);
    expect(resolved.manifest.config).toEqual(images[expected].config.descriptor);
    expect(resolved.descriptor.platform).toEqual(images[expected].platform);
  });

  test.each(['linux/386', 'linux/arm/v6', 'windows/amd64', 'linux/riscv64'])('%s → NotFound naming wanted and offered platforms', async (platform) => {
    const err = await resolveManifest(provider, target, only(platform)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'NotFound' });
    expect((err as Error).message).toBe(
      `no match for platform ${only(platform).description} in index ${target.digest}: it has linux/amd64, linux/arm64, linux/arm/v7`,
    );
  });

  test('attestation manifests (unknown/unknown) are never picked by a real platform', async () => {
    const justAttestations = buildIndex(index.entries.slice(3).map((e) => ({ target: e.target, platform: e.descriptor.platform ?? null })));
    await expect(resolveManifest(providerFor(justAttestations), rootDescriptor(justAttestations), only('linux/amd64'))).rejects.toThrow(
      /it lists no platform-specific manifests$/,
    );
  });

  test('a manifest target is returned whatever the matcher', async () => {
    const resolved = await resolveManifest(provider, images.arm64.manifest.descriptor, only('linux/amd64'));
    expect(resolved.descriptor).toEqual(images.arm64.manifest.descriptor);
  });

  test('imageConfig and diffIds follow the chosen manifest', async () => {
    const c = await imageConfig(provider, target, only('linux/arm64'));
    expect(c.descriptor).toEqual(images.arm64.config.descriptor);
    expect(c.config.architecture).toBe('arm64');
    expect(c.manifest.descriptor.digest).toBe(images.arm64.manifest.descriptor.digest);
    expect(await diffIds(provider, target, only('linux/arm/v7'))).toEqual(images.armv7.layers.map((l) => l.diffId));
  });

  test('imagePlatforms lists the index platforms, skipping attestations', async () => {
    expect(await imagePlatforms(provider, target)).toEqual([images.amd64.platform, images.arm64.platform, images.armv7.platform]);
    expect(await imagePlatforms(provider, images.armv7.manifest.descriptor)).toEqual([{ os: 'linux', architecture: 'arm', variant: 'v7' }]);
  });
});

test('the default matcher follows the host platform', async () => {
  const { index, images } = buildMultiArch();
  const host = hostPlatform();
  const expected = host.architecture === 'arm64' ? images.arm64 : host.architecture === 'arm' ? images.armv7 : images.amd64;
  if (host.os !== 'linux' || !['amd64', 'arm64', 'arm'].includes(host.architecture)) return;
  const resolved = await resolveManifest(providerFor(index), index.index.descriptor);
  expect(resolved.descriptor.digest).toBe(expected.manifest.descriptor.digest);
  expect(defaultPlatformMatcher().description.startsWith(`linux/${host.architecture}`)).toBe(true);
});

describe('index entries without a platform', () => {
  const amd = buildImage({ platform: 'linux/amd64', layers: [{ files: { a: 'a' } }] });
  const arm = buildImage({ platform: 'linux/arm64', layers: [{ files: { b: 'b' } }] });

  test('are judged by the platform in their config', async () => {
    const idx = buildIndex([{ target: arm, platform: null }, { target: amd, platform: null }]);
    const provider = providerFor(idx);
    expect((await resolveManifest(provider, rootDescriptor(idx), only('linux/arm64'))).descriptor.digest).toBe(arm.manifest.descriptor.digest);
    // containerd only looks at the first platform-less entry; imaged keeps looking.
    expect((await resolveManifest(provider, rootDescriptor(idx), only('linux/amd64'))).descriptor.digest).toBe(amd.manifest.descriptor.digest);
    expect(await imagePlatforms(provider, rootDescriptor(idx))).toEqual([arm.platform, amd.platform]);
  });

  test('come after entries that declare a matching platform', async () => {
    const amdToo = buildImage({ platform: 'linux/amd64', layers: [{ files: { c: 'c' } }] });
    const idx = buildIndex([{ target: amd, platform: null }, amdToo]);
    const resolved = await resolveManifest(providerFor(idx), rootDescriptor(idx), only('linux/amd64'));
    expect(resolved.descriptor.digest).toBe(amdToo.manifest.descriptor.digest);
  });
});

test('nested indexes are descended', async () => {
  const { index: inner, images } = buildMultiArch();
  const outer = buildIndex([{ target: inner, platform: null }]);
  const resolved = await resolveManifest(providerFor(outer), rootDescriptor(outer), only('linux/arm64'));
  expect(resolved.descriptor.digest).toBe(images.arm64.manifest.descriptor.digest);
});

test('allPlatforms takes the first entry; the exact matcher rejects compatible variants', async () => {
  const { index, images } = buildMultiArch();
  const provider = providerFor(index);
  expect((await resolveManifest(provider, index.index.descriptor, allPlatforms())).descriptor.digest).toBe(images.amd64.manifest.descriptor.digest);
  await expect(resolveManifest(provider, index.index.descriptor, platformMatcher(parsePlatform('linux/arm/v8')))).rejects.toMatchObject({ kind: 'NotFound' });
});

test('missing content and unsupported targets', async () => {
  const { index, images } = buildMultiArch();
  const provider = providerFor(index);
  provider.remove(images.arm64.manifest.descriptor.digest);
  await expect(resolveManifest(provider, index.index.descriptor, only('linux/arm64'))).rejects.toMatchObject({ kind: 'NotFound' });
  const layer = images.amd64.layers[0]!.descriptor;
  await expect(resolveManifest(provider, layer, only('linux/amd64'))).rejects.toThrow(
    `image target ${layer.digest} has media type "${layer.mediaType}", which is neither an image index nor a manifest`,
  );
});

test('imageConfig refuses a manifest whose config is not an image config', async () => {
  const cfg = blob('application/vnd.oci.empty.v1+json', new TextEncoder().encode('{}'));
  const manifestBlob = blob(
    'application/vnd.oci.image.manifest.v1+json',
    new TextEncoder().encode(JSON.stringify({ schemaVersion: 2, config: { mediaType: cfg.descriptor.mediaType, digest: cfg.descriptor.digest, size: cfg.descriptor.size }, layers: [] })),
  );
  const provider = providerFor({ blobs: new Map([[cfg.descriptor.digest, cfg.bytes], [manifestBlob.descriptor.digest, manifestBlob.bytes]]) });
  await expect(imageConfig(provider, manifestBlob.descriptor)).rejects.toThrow(/is not a container image: its config has media type "application\/vnd\.oci\.empty\.v1\+json"/);
});

describe('chain IDs', () => {
  // Expected values computed with coreutils: printf '<prev> <diff>' | sha256sum.
  const AB = 'sha256:970a948bffa8de94d6e22d747ba8c95030e6e546909f98f54e99a13005e173a8';
  const ABC = 'sha256:dee159b33409cefa3f6eda71539f006014283e9d9130c18a1dea7bd8a33c9b1b';
  test.each<[string[], string[]]>([
    [[], []],
    [['sha256:a'], ['sha256:a']],
    [['sha256:a', 'sha256:b'], ['sha256:a', AB]],
    [['sha256:a', 'sha256:b', 'sha256:c'], ['sha256:a', AB, ABC]],
  ])('chainIds(%j)', (diffs, expected) => {
    expect(chainIds(diffs)).toEqual(expected);
    expect(chainId(diffs)).toBe(expected.at(-1) ?? '');
  });

  test('the OCI config example', () => {
    expect(
      chainId([
        'sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1',
        'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
      ]),
    ).toBe('sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f');
  });
});

test.each<[string | undefined, object]>([
  [undefined, {}],
  ['', {}],
  ['0', { uid: 0n }],
  ['1000', { uid: 1000n }],
  ['1000:1000', { uid: 1000n }],
  ['007', { uid: 7n }],
  ['-1', { uid: -1n }],
  ['+5', { uid: 5n }],
  ['9223372036854775807', { uid: 9223372036854775807n }],
  ['9223372036854775808', { username: '9223372036854775808' }],
  ['nobody', { username: 'nobody' }],
  ['app:staff', { username: 'app' }],
  [':100', {}],
  ['0x10', { username: '0x10' }],
  ['1_000', { username: '1_000' }],
  [' 1', { username: ' 1' }],
])('userOf(User=%j)', (user, expected) => {
  expect(userOf(user === undefined ? { config: {} } : { config: { User: user } })).toEqual(expected);
});

test('userOf without any config section', () => {
  expect(userOf(undefined)).toEqual({});
  expect(userOf({})).toEqual({});
});
