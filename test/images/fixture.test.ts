import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { parseConfig, parseIndex, parseManifest } from '../../src/images/handlers/index.js';
import {
  buildImage,
  buildMultiArch,
  memoryProvider,
  sha256,
  tarArchive,
  untar,
  writeOciArchive,
  writeOciLayout,
} from '../support/oci-fixture.js';
import { tempDir } from '../support/temp-dir.js';

const run = promisify(execFile);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe.each(['oci', 'docker'] as const)('%s image fixture', (mediaTypes) => {
  const image = buildImage({
    mediaTypes,
    platform: 'linux/arm64',
    layers: [{ files: { 'etc/os-release': 'ID=test\n', 'usr/share/deep/path/file.txt': 'deep' } }, { randomBytes: 3000 }],
    config: { user: '1000:1000', env: ['PATH=/bin'], cmd: ['/bin/sh'] },
  });

  test('layers are gzip-compressed ustar archives holding the files', () => {
    const [first, second] = image.layers;
    const files = untar(gunzipSync(first!.bytes));
    expect(text(files['etc/os-release']!)).toBe('ID=test\n');
    expect(text(files['usr/share/deep/path/file.txt']!)).toBe('deep');
    expect(untar(gunzipSync(second!.bytes))['random.bin']).toHaveLength(3000);
  });

  test('digests, sizes and diff IDs are those of the actual bytes', () => {
    for (const layer of image.layers) {
      expect(layer.descriptor.digest).toBe(sha256(layer.bytes));
      expect(layer.descriptor.size).toBe(layer.bytes.length);
      expect(layer.diffId).toBe(sha256(gunzipSync(layer.bytes)));
    }
    const config = parseConfig(image.config.bytes);
    expect(config.rootfs.diff_ids).toEqual(image.layers.map((l) => l.diffId));
    expect(config).toMatchObject({ os: 'linux', architecture: 'arm64', config: { User: '1000:1000', Cmd: ['/bin/sh'] } });
    const manifest = parseManifest(image.manifest.bytes, image.manifest.descriptor);
    expect(manifest.config).toEqual(image.config.descriptor);
    expect(manifest.layers).toEqual(image.layers.map((l) => l.descriptor));
    expect(manifest.mediaType).toBe(image.manifest.descriptor.mediaType);
  });

  test('system tar lists and extracts the layer', async () => {
    const dir = tempDir();
    writeOciLayout(join(dir, 'layout'), { 'x:1': image });
    const blobFile = join(dir, 'layout', 'blobs', 'sha256', image.layers[0]!.descriptor.digest.slice(7));
    const { stdout } = await run('tar', ['-tzf', blobFile]);
    expect(stdout.split('\n').filter((l) => l !== '')).toEqual([
      'etc/',
      'etc/os-release',
      'usr/',
      'usr/share/',
      'usr/share/deep/',
      'usr/share/deep/path/',
      'usr/share/deep/path/file.txt',
    ]);
    await run('tar', ['-xzf', blobFile, '-C', dir]);
    expect(readFileSync(join(dir, 'etc', 'os-release'), 'utf8')).toBe('ID=test\n');
    expect(readFileSync(join(dir, 'usr/share/deep/path/file.txt'), 'utf8')).toBe('deep');
  });

  test('the in-memory provider serves every blob and verifies it', async () => {
    const provider = memoryProvider(image.blobs);
    const bytes = await provider.readBlob(image.config.descriptor, 1 << 20);
    expect(bytes).toEqual(image.config.bytes);
    await expect(provider.readBlob({ digest: image.config.descriptor.digest, size: 3 }, 1 << 20)).rejects.toMatchObject({ kind: 'FailedPrecondition' });
    await expect(provider.readBlob(image.config.descriptor, 10)).rejects.toMatchObject({ kind: 'ResourceExhausted' });
    await expect(provider.readBlob({ digest: sha256('nope'), size: 4 }, 10)).rejects.toMatchObject({ kind: 'NotFound' });
    const tampered = memoryProvider([[image.config.descriptor.digest, new Uint8Array(image.config.bytes.length)]]);
    await expect(tampered.readBlob(image.config.descriptor, 1 << 20)).rejects.toMatchObject({ kind: 'FailedPrecondition' });
  });
});

test('long paths use the ustar prefix field', () => {
  const name = `${'a'.repeat(90)}/${'b'.repeat(90)}/file.txt`;
  const tar = tarArchive([{ name, content: new TextEncoder().encode('x') }]);
  expect(Object.keys(untar(tar))).toEqual([name]);
});

test('OCI layout on disk: oci-layout, index.json with ref names, blobs by digest', () => {
  const { index } = buildMultiArch();
  const single = buildImage({ layers: [{ files: { a: 'a' } }] });
  const dir = tempDir();
  const layout = writeOciLayout(dir, { 'docker.io/library/multi:1': index, latest: single });
  expect(JSON.parse(readFileSync(join(dir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
  const top = parseIndex(readFileSync(join(dir, 'index.json')));
  expect(top.manifests.map((m) => m.annotations)).toEqual([
    { 'org.opencontainers.image.ref.name': 'docker.io/library/multi:1', 'io.containerd.image.name': 'docker.io/library/multi:1' },
    { 'org.opencontainers.image.ref.name': 'latest' },
  ]);
  const files = readdirSync(join(dir, 'blobs', 'sha256'));
  expect(files.sort()).toEqual([...layout.blobs.keys()].map((d) => d.slice(7)).sort());
  for (const f of files) expect(sha256(readFileSync(join(dir, 'blobs', 'sha256', f)))).toBe(`sha256:${f}`);
});

describe('OCI archive', () => {
  const { index, images } = buildMultiArch();
  const dir = tempDir();
  const tarPath = join(dir, 'image.tar');
  writeOciArchive(tarPath, { 'docker.io/library/multi:1': index, 'docker.io/library/single:2': images.arm64 });

  test('is a plain tar with the layout at its root and no manifest.json', async () => {
    const { stdout } = await run('tar', ['-tf', tarPath]);
    const names = stdout.split('\n').filter((l) => l !== '');
    expect(names.slice(0, 4)).toEqual(['oci-layout', 'index.json', 'blobs/', 'blobs/sha256/']);
    expect(names).not.toContain('manifest.json');
    expect(names.filter((n) => n.startsWith('blobs/sha256/') && n.length > 14)).toHaveLength(index.blobs.size);
  });

  test('skopeo reads and copies it, verifying every digest', async () => {
    const out = join(dir, 'copied');
    const raw = await run('skopeo', ['inspect', '--raw', `oci-archive:${tarPath}:docker.io/library/multi:1`]);
    expect(sha256(raw.stdout)).toBe(index.index.descriptor.digest);
    await run('skopeo', ['--insecure-policy', 'copy', '--all', '--preserve-digests', `oci-archive:${tarPath}:docker.io/library/multi:1`, `dir:${out}`]);
    const copied = readdirSync(out).filter((f) => /^[0-9a-f]{64}$/.test(f));
    for (const f of copied) expect(index.blobs.has(`sha256:${f}`)).toBe(true);
    const cfg = await run('skopeo', ['inspect', '--config', `oci-archive:${tarPath}:docker.io/library/single:2`]);
    expect(JSON.parse(cfg.stdout)).toMatchObject({ architecture: 'arm64', os: 'linux' });
  });
});
