/**
 * Real OCI and Docker images for tests: gzip'd ustar layers, configs with correct diff IDs,
 * manifests, multi-platform indexes (with buildx-style attestation entries), OCI image layouts on
 * disk and as tar archives (what `ctr images import` and `skopeo copy oci-archive:` read), and an
 * in-memory content Provider that verifies what it serves like the real one.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Descriptor, Info, Provider, ReaderAt, StringMap } from '../../src/content/index.js';
import { failedPrecondition, ImagedError, notFound, outOfRange } from '../../src/errdefs/index.js';
import { descriptorJson, type ImageDescriptor } from '../../src/images/handlers/index.js';
import { parsePlatform, type Platform } from '../../src/platforms/index.js';

/** Which family of media types to write. */
export type MediaTypeFamily = 'oci' | 'docker';

/** One blob: its descriptor and its exact bytes. */
export interface Blob {
  /** Descriptor (media type, digest, size). */
  readonly descriptor: ImageDescriptor;
  /** The bytes the digest covers. */
  readonly bytes: Uint8Array;
}

/** A layer to build: named files, or one file of random bytes. */
export type LayerSpec = { readonly files: Readonly<Record<string, string | Uint8Array>> } | { readonly randomBytes: number };

/** A built layer: the compressed blob plus what went into it. */
export interface BuiltLayer extends Blob {
  /** sha256 of the uncompressed tar (the config's diff ID). */
  readonly diffId: string;
  /** The uncompressed tar. */
  readonly tar: Uint8Array;
  /** The regular files in the layer, by path. */
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** Execution defaults and metadata for a built config. */
export interface ConfigSpec {
  /** `config.User`. */
  readonly user?: string;
  /** `config.Env`. */
  readonly env?: readonly string[];
  /** `config.Cmd`. */
  readonly cmd?: readonly string[];
  /** `config.Entrypoint`. */
  readonly entrypoint?: readonly string[];
  /** `config.WorkingDir`. */
  readonly workingDir?: string;
  /** `config.Labels`. */
  readonly labels?: StringMap;
  /** `created` (defaults to the Unix epoch, for reproducible digests). */
  readonly created?: string;
  /** Extra top-level fields merged into the config JSON as is. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** What {@link buildImage} makes. */
export interface ImageSpec {
  /** Layers, base first. */
  readonly layers: readonly LayerSpec[];
  /** Config contents. */
  readonly config?: ConfigSpec;
  /** Platform specifier written to the config (default `linux/amd64`). */
  readonly platform?: string;
  /** OCI or Docker media types (default OCI). */
  readonly mediaTypes?: MediaTypeFamily;
  /** Manifest annotations. */
  readonly annotations?: StringMap;
}

/** A built single-platform image. */
export interface BuiltImage {
  /** Always `image`. */
  readonly kind: 'image';
  /** The manifest blob; its descriptor is the image target. */
  readonly manifest: Blob;
  /** The config blob. */
  readonly config: Blob;
  /** The layers, base first. */
  readonly layers: readonly BuiltLayer[];
  /** The config's platform. */
  readonly platform: Platform;
  /** Every blob of the image by digest. */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
}

/** A built index. */
export interface BuiltIndex {
  /** Always `index`. */
  readonly kind: 'index';
  /** The index blob; its descriptor is the image target. */
  readonly index: Blob;
  /** The entries, as listed (descriptors carry platform and annotations). */
  readonly entries: readonly IndexEntry[];
  /** Every blob reachable from the index by digest. */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
}

/** An entry of a built index. */
export interface IndexEntry {
  /** The descriptor as written into the index. */
  readonly descriptor: ImageDescriptor;
  /** What it points at. */
  readonly target: BuiltImage | BuiltIndex;
}

/** Anything that can be an image target. */
export type BuiltRoot = BuiltImage | BuiltIndex;

const MEDIA = {
  oci: {
    index: 'application/vnd.oci.image.index.v1+json',
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
} as const;

/** `sha256:<hex>` of `bytes`. */
export const sha256 = (bytes: Uint8Array | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A blob of `bytes` with `mediaType`, optional annotations and platform. */
export function blob(mediaType: string, bytes: Uint8Array, extra: { annotations?: StringMap; platform?: Platform } = {}): Blob {
  return {
    descriptor: {
      mediaType,
      digest: sha256(bytes),
      size: bytes.length,
      annotations: extra.annotations ?? {},
      ...(extra.platform === undefined ? {} : { platform: extra.platform }),
    },
    bytes,
  };
}

/** A JSON blob (compact, keys in insertion order). */
export const jsonBlob = (mediaType: string, value: unknown, extra: { annotations?: StringMap; platform?: Platform } = {}): Blob =>
  blob(mediaType, utf8(JSON.stringify(value)), extra);

// ---------------------------------------------------------------------------------------------
// tar

/** One tar member. */
export interface TarEntry {
  /** Path inside the archive (no leading `/`; directories may end in `/`). */
  readonly name: string;
  /** `file` (default) or `dir`. */
  readonly type?: 'file' | 'dir';
  /** File contents. */
  readonly content?: Uint8Array;
  /** Permission bits (default 0644 for files, 0755 for directories). */
  readonly mode?: number;
}

function writeString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = utf8(value);
  if (bytes.length > length) throw new Error(`tar: ${JSON.stringify(value)} does not fit in ${length} bytes`);
  block.set(bytes, offset);
}

const octal = (n: number, width: number): string => `${n.toString(8).padStart(width - 1, '0')}\0`;

/** Splits a long path into ustar's prefix (≤155) and name (≤100) at a `/`. */
function splitName(path: string): { prefix: string; name: string } {
  if (utf8(path).length <= 100) return { prefix: '', name: path };
  for (let i = path.lastIndexOf('/', path.length - 2); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (utf8(prefix).length <= 155 && utf8(name).length <= 100 && name !== '') return { prefix, name };
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

function tarHeader(entry: TarEntry, size: number): Uint8Array {
  const block = new Uint8Array(512);
  const dir = entry.type === 'dir';
  const path = dir && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
  const { prefix, name } = splitName(path);
  writeString(block, 0, 100, name);
  writeString(block, 100, 8, octal(entry.mode ?? (dir ? 0o755 : 0o644), 8));
  writeString(block, 108, 8, octal(0, 8));
  writeString(block, 116, 8, octal(0, 8));
  writeString(block, 124, 12, octal(size, 12));
  writeString(block, 136, 12, octal(0, 12));
  block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  block[156] = (dir ? '5' : '0').charCodeAt(0);
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeString(block, 265, 32, 'root');
  writeString(block, 297, 32, 'root');
  writeString(block, 345, 155, prefix);
  const sum = block.reduce((a, b) => a + b, 0);
  writeString(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** A ustar archive of `entries`, in the order given, with zeroed owner and mtime. */
export function tarArchive(entries: readonly TarEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (const entry of entries) {
    const content = entry.type === 'dir' ? new Uint8Array(0) : (entry.content ?? new Uint8Array(0));
    chunks.push(tarHeader(entry, content.length), content);
    const pad = (512 - (content.length % 512)) % 512;
    if (pad > 0) chunks.push(new Uint8Array(pad));
  }
  chunks.push(new Uint8Array(1024));
  return Buffer.concat(chunks);
}

/** Reads a ustar archive back into `{ path: bytes }` for regular files (for assertions). */
export function untar(archive: Uint8Array): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  let off = 0;
  const text = (from: number, len: number): string => {
    const raw = archive.subarray(from, from + len);
    const end = raw.indexOf(0);
    return new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end));
  };
  while (off + 512 <= archive.length) {
    const header = archive.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const name = text(off, 100);
    const prefix = text(off + 345, 155);
    const size = parseInt(text(off + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(archive[off + 156] ?? 0);
    const sum = parseInt(text(off + 148, 8).trim(), 8);
    const check = header.reduce((a, b, i) => a + (i >= 148 && i < 156 ? 0x20 : b), 0);
    if (sum !== check) throw new Error(`tar: bad header checksum at offset ${off}`);
    off += 512;
    if (type === '0' || type === '\0') out[prefix === '' ? name : `${prefix}/${name}`] = archive.slice(off, off + size);
    off += Math.ceil(size / 512) * 512;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// images

/** Tar entries for `files`, with every parent directory listed first, sorted by path. */
function layerEntries(files: Readonly<Record<string, Uint8Array>>): TarEntry[] {
  const dirs = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const entries: TarEntry[] = [
    ...[...dirs].map((name): TarEntry => ({ name, type: 'dir' })),
    ...Object.entries(files).map(([name, content]): TarEntry => ({ name, content })),
  ];
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Builds one gzip-compressed tar layer. */
export function buildLayer(spec: LayerSpec, mediaTypes: MediaTypeFamily = 'oci'): BuiltLayer {
  const files: Record<string, Uint8Array> =
    'files' in spec
      ? Object.fromEntries(Object.entries(spec.files).map(([p, c]) => [p.replace(/^\/+/, ''), typeof c === 'string' ? utf8(c) : c]))
      : { 'random.bin': new Uint8Array(randomBytes(spec.randomBytes)) };
  const tar = tarArchive(layerEntries(files));
  const compressed = new Uint8Array(gzipSync(tar));
  return { ...blob(MEDIA[mediaTypes].layer, compressed), diffId: sha256(tar), tar, files };
}

/** OCI JSON for a platform (`os.version` and friends under their OCI names). */
export function platformJson(p: Platform): Record<string, unknown> {
  return {
    architecture: p.architecture,
    os: p.os,
    ...(p.osVersion === undefined ? {} : { 'os.version': p.osVersion }),
    ...(p.osFeatures === undefined ? {} : { 'os.features': p.osFeatures }),
    ...(p.variant === undefined ? {} : { variant: p.variant }),
  };
}

/** Builds a single-platform image: layers, config with matching `rootfs.diff_ids`, manifest. */
export function buildImage(spec: ImageSpec): BuiltImage {
  const family = spec.mediaTypes ?? 'oci';
  const media = MEDIA[family];
  const platform = parsePlatform(spec.platform ?? 'linux/amd64');
  const layers = spec.layers.map((l) => buildLayer(l, family));
  const c = spec.config ?? {};
  const execution = {
    ...(c.user === undefined ? {} : { User: c.user }),
    ...(c.env === undefined ? {} : { Env: c.env }),
    ...(c.entrypoint === undefined ? {} : { Entrypoint: c.entrypoint }),
    ...(c.cmd === undefined ? {} : { Cmd: c.cmd }),
    ...(c.workingDir === undefined ? {} : { WorkingDir: c.workingDir }),
    ...(c.labels === undefined ? {} : { Labels: c.labels }),
  };
  const created = c.created ?? '1970-01-01T00:00:00Z';
  const config = jsonBlob(media.config, {
    created,
    ...platformJson(platform),
    config: execution,
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created, created_by: `test layer ${i}` })),
    ...c.extra,
  });
  const manifest = jsonBlob(media.manifest, {
    schemaVersion: 2,
    mediaType: media.manifest,
    config: descriptorJson(config.descriptor),
    layers: layers.map((l) => descriptorJson(l.descriptor)),
    ...(spec.annotations === undefined ? {} : { annotations: spec.annotations }),
  });
  const blobs = new Map<string, Uint8Array>([[manifest.descriptor.digest, manifest.bytes], [config.descriptor.digest, config.bytes]]);
  for (const l of layers) blobs.set(l.descriptor.digest, l.bytes);
  return { kind: 'image', manifest, config, layers, platform, blobs };
}

/**
 * A buildx-style attestation for `subject`: an OCI manifest whose config says `unknown/unknown`
 * and whose layer is an in-toto statement, listed in an index as platform `unknown/unknown` with
 * the `vnd.docker.reference.*` annotations.
 */
export function buildAttestation(subject: BuiltImage): BuiltImage {
  const statement = jsonBlob('application/vnd.in-toto+json', {
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: 'https://spdx.dev/Document',
    subject: [{ name: 'test', digest: { sha256: subject.manifest.descriptor.digest.slice(7) } }],
    predicate: {},
  }, { annotations: { 'in-toto.io/predicate-type': 'https://spdx.dev/Document' } });
  const layer: BuiltLayer = { ...statement, diffId: statement.descriptor.digest, tar: statement.bytes, files: {} };
  const config = jsonBlob(MEDIA.oci.config, {
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
  });
  const manifest = jsonBlob(MEDIA.oci.manifest, {
    schemaVersion: 2,
    mediaType: MEDIA.oci.manifest,
    config: descriptorJson(config.descriptor),
    layers: [descriptorJson(layer.descriptor)],
  });
  const blobs = new Map<string, Uint8Array>([
    [manifest.descriptor.digest, manifest.bytes],
    [config.descriptor.digest, config.bytes],
    [layer.descriptor.digest, layer.bytes],
  ]);
  return { kind: 'image', manifest, config, layers: [layer], platform: { os: 'unknown', architecture: 'unknown' }, blobs };
}

/** The descriptor that points at a built root. */
export const rootDescriptor = (root: BuiltRoot): ImageDescriptor => (root.kind === 'image' ? root.manifest : root.index).descriptor;

/** An index entry: what to list, and how (platform `null` writes none; default is the image's own). */
export interface IndexEntrySpec {
  /** The image or nested index. */
  readonly target: BuiltRoot;
  /** Platform to list (specifier or record); `null` for none. Defaults to the image's platform. */
  readonly platform?: Platform | string | null;
  /** Entry annotations. */
  readonly annotations?: StringMap;
}

/**
 * Builds an index over `entries` (built images, or specs for more control). An attestation built
 * with {@link buildAttestation} is listed as `unknown/unknown` with buildx's annotations.
 */
export function buildIndex(
  entries: ReadonlyArray<BuiltRoot | IndexEntrySpec>,
  opts: { mediaTypes?: MediaTypeFamily; annotations?: StringMap } = {},
): BuiltIndex {
  const media = MEDIA[opts.mediaTypes ?? 'oci'];
  const built: IndexEntry[] = entries.map((e) => {
    const spec: IndexEntrySpec = 'kind' in e ? { target: e } : e;
    const target = spec.target;
    const base = rootDescriptor(target);
    let platform: Platform | undefined;
    if (spec.platform === null) platform = undefined;
    else if (typeof spec.platform === 'string') platform = parsePlatform(spec.platform);
    else if (spec.platform !== undefined) platform = spec.platform;
    else if (target.kind === 'image') platform = target.platform;
    const descriptor: ImageDescriptor = {
      mediaType: base.mediaType,
      digest: base.digest,
      size: base.size,
      annotations: spec.annotations ?? {},
      ...(platform === undefined ? {} : { platform }),
    };
    return { descriptor, target };
  });
  const index = jsonBlob(media.index, {
    schemaVersion: 2,
    mediaType: media.index,
    manifests: built.map((e) => descriptorJson(e.descriptor)),
    ...(opts.annotations === undefined ? {} : { annotations: opts.annotations }),
  });
  const blobs = new Map<string, Uint8Array>([[index.descriptor.digest, index.bytes]]);
  for (const e of built) for (const [d, b] of e.target.blobs) blobs.set(d, b);
  return { kind: 'index', index, entries: built, blobs };
}

/**
 * Annotations for an attestation entry pointing at `subject`, as buildx writes them. Use with
 * `{ target: buildAttestation(img), platform: 'unknown/unknown', annotations: attestationAnnotations(img) }`.
 */
export const attestationAnnotations = (subject: BuiltImage): StringMap => ({
  'vnd.docker.reference.digest': subject.manifest.descriptor.digest,
  'vnd.docker.reference.type': 'attestation-manifest',
});

/** The typical buildx multi-arch fixture: amd64, arm64, arm/v7, and one attestation per image. */
export function buildMultiArch(opts: { mediaTypes?: MediaTypeFamily; layers?: readonly LayerSpec[]; config?: ConfigSpec } = {}): {
  readonly index: BuiltIndex;
  readonly images: Readonly<Record<'amd64' | 'arm64' | 'armv7', BuiltImage>>;
} {
  const make = (platform: string, arch: string): BuiltImage =>
    buildImage({
      platform,
      layers: opts.layers ?? [{ files: { 'etc/arch': `${arch}\n` } }, { files: { 'bin/hello': `#!/bin/sh\necho ${arch}\n` } }],
      ...(opts.config === undefined ? {} : { config: opts.config }),
      ...(opts.mediaTypes === undefined ? {} : { mediaTypes: opts.mediaTypes }),
    });
  const images = { amd64: make('linux/amd64', 'amd64'), arm64: make('linux/arm64', 'arm64'), armv7: make('linux/arm/v7', 'armv7') };
  const attest = (img: BuiltImage): IndexEntrySpec => ({
    target: buildAttestation(img),
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: attestationAnnotations(img),
  });
  const index = buildIndex(
    [images.amd64, images.arm64, images.armv7, attest(images.amd64), attest(images.arm64), attest(images.armv7)],
    opts.mediaTypes === undefined ? {} : { mediaTypes: opts.mediaTypes },
  );
  return { index, images };
}

// ---------------------------------------------------------------------------------------------
// OCI layout

/** The `index.json` and blobs of an OCI image layout. */
export interface OciLayout {
  /** `index.json` as a blob (its descriptor is what `ctr images import` starts from). */
  readonly index: Blob;
  /** Every blob under `blobs/`, by digest. */
  readonly blobs: ReadonlyMap<string, Uint8Array>;
}

/**
 * The layout for `refs` (name → root). Each name is written as `org.opencontainers.image.ref.name`;
 * a full reference (one containing `/`) is also written as `io.containerd.image.name`, which is
 * the name `ctr images import` gives the image.
 */
export function ociLayout(refs: Readonly<Record<string, BuiltRoot>>): OciLayout {
  const blobs = new Map<string, Uint8Array>();
  const manifests = Object.entries(refs).map(([name, root]) => {
    for (const [d, b] of root.blobs) blobs.set(d, b);
    const d = rootDescriptor(root);
    const annotations: Record<string, string> = { 'org.opencontainers.image.ref.name': name };
    if (name.includes('/')) annotations['io.containerd.image.name'] = name;
    return descriptorJson({ mediaType: d.mediaType, digest: d.digest, size: d.size, annotations });
  });
  const index = jsonBlob(MEDIA.oci.index, { schemaVersion: 2, mediaType: MEDIA.oci.index, manifests });
  return { index, blobs };
}

const LAYOUT_FILE = utf8(JSON.stringify({ imageLayoutVersion: '1.0.0' }));

const blobPath = (digest: string): string => `blobs/${digest.replace(':', '/')}`;

/** Writes an OCI image layout directory (`oci-layout`, `index.json`, `blobs/sha256/…`). */
export function writeOciLayout(dir: string, refs: Readonly<Record<string, BuiltRoot>>): OciLayout {
  const layout = ociLayout(refs);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), LAYOUT_FILE);
  writeFileSync(join(dir, 'index.json'), layout.index.bytes);
  for (const [digest, bytes] of layout.blobs) {
    const path = join(dir, blobPath(digest));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
  return layout;
}

/** The OCI layout for `refs` as one tar archive (no Docker `manifest.json`). */
export function ociArchive(refs: Readonly<Record<string, BuiltRoot>>): { readonly layout: OciLayout; readonly tar: Uint8Array } {
  const layout = ociLayout(refs);
  const entries: TarEntry[] = [
    { name: 'oci-layout', content: LAYOUT_FILE },
    { name: 'index.json', content: layout.index.bytes },
    { name: 'blobs', type: 'dir' },
    { name: 'blobs/sha256', type: 'dir' },
    ...[...layout.blobs].map(([digest, content]): TarEntry => ({ name: blobPath(digest), content })),
  ];
  return { layout, tar: tarArchive(entries) };
}

/** Writes {@link ociArchive} to `tarPath` (for `ctr images import` or `skopeo copy oci-archive:`). */
export function writeOciArchive(tarPath: string, refs: Readonly<Record<string, BuiltRoot>>): OciLayout {
  const { layout, tar } = ociArchive(refs);
  mkdirSync(dirname(tarPath), { recursive: true });
  writeFileSync(tarPath, tar);
  return layout;
}

// ---------------------------------------------------------------------------------------------
// in-memory provider

/** A {@link Provider} over a map of blobs, recording reads, that can lose blobs on demand. */
export interface MemoryProvider extends Provider {
  /** Digests passed to `readBlob`, in order. */
  readonly reads: readonly string[];
  /** Forgets blobs (to simulate missing content). */
  remove(...digests: string[]): void;
}

function hashOf(digest: string, bytes: Uint8Array): string {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/**
 * A content Provider serving `blobs` (by digest) that behaves like the real one: NotFound for an
 * unknown digest, ResourceExhausted when the descriptor is larger than `maxBytes`, FailedPrecondition
 * when the stored bytes do not have the descriptor's size or digest.
 */
export function memoryProvider(
  blobs: ReadonlyMap<string, Uint8Array> | Iterable<readonly [string, Uint8Array]> | Readonly<Record<string, Uint8Array>>,
): MemoryProvider {
  const store = new Map<string, Uint8Array>(
    Symbol.iterator in Object(blobs)
      ? [...(blobs as Iterable<readonly [string, Uint8Array]>)]
      : Object.entries(blobs as Readonly<Record<string, Uint8Array>>),
  );
  const reads: string[] = [];
  const get = (digest: string): Uint8Array => {
    const bytes = store.get(digest);
    if (bytes === undefined) throw notFound(`content ${digest}: not found`);
    return bytes;
  };
  return {
    reads,
    remove: (...digests) => {
      for (const d of digests) store.delete(d);
    },
    async info(digest): Promise<Info> {
      return { digest, size: get(digest).length, createdAt: 0n, updatedAt: 0n, labels: {} };
    },
    async readerAt(digest): Promise<ReaderAt> {
      const bytes = get(digest);
      return {
        size: bytes.length,
        async readAt(offset, length) {
          if (offset < 0 || offset > bytes.length) throw outOfRange(`offset ${offset} outside blob ${digest} of ${bytes.length} bytes`);
          return bytes.slice(offset, offset + length);
        },
        async close() {},
      };
    },
    async readBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>, maxBytes: number): Promise<Uint8Array> {
      reads.push(descriptor.digest);
      if (descriptor.size > maxBytes) {
        throw new ImagedError('ResourceExhausted', `blob ${descriptor.digest} is ${descriptor.size} bytes, more than the ${maxBytes} allowed`);
      }
      const bytes = get(descriptor.digest);
      if (bytes.length !== descriptor.size) {
        throw failedPrecondition(`blob ${descriptor.digest} is ${bytes.length} bytes but its descriptor says ${descriptor.size}`);
      }
      if (hashOf(descriptor.digest, bytes) !== descriptor.digest) {
        throw failedPrecondition(`blob ${descriptor.digest} does not match its digest`);
      }
      return bytes.slice();
    },
  };
}

/** A provider holding every blob of the given roots. */
export const providerFor = (...roots: ReadonlyArray<{ readonly blobs: ReadonlyMap<string, Uint8Array> }>): MemoryProvider =>
  memoryProvider(roots.flatMap((r) => [...r.blobs]));
