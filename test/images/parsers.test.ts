import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import {
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
  configPlatform,
  isConfig,
  isIndex,
  isLayer,
  isManifest,
  isNonDistributable,
  parseConfig,
  parseConfigPlatform,
  parseIndex,
  parseManifest,
} from '../../src/images/handlers/index.js';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const desc = (mediaType: string, digest = D1, extra: Record<string, unknown> = {}) => ({ mediaType, digest, size: 10, ...extra });
const SOURCE = { digest: D2, mediaType: MEDIA_TYPE_OCI_MANIFEST };

test.each([
  ['application/vnd.oci.image.index.v1+json', 'index'],
  ['application/vnd.docker.distribution.manifest.list.v2+json', 'index'],
  ['application/vnd.oci.image.manifest.v1+json', 'manifest'],
  ['application/vnd.docker.distribution.manifest.v2+json', 'manifest'],
  ['application/vnd.docker.distribution.manifest.v1+prettyjws', 'other'],
  ['application/vnd.oci.image.config.v1+json', 'config'],
  ['application/vnd.docker.container.image.v1+json', 'config'],
  ['application/vnd.oci.image.layer.v1.tar', 'layer'],
  ['application/vnd.oci.image.layer.v1.tar+gzip', 'layer'],
  ['application/vnd.oci.image.layer.v1.tar+zstd', 'layer'],
  ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'layer'],
  ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'layer'],
  ['application/vnd.docker.image.rootfs.diff.tar.gzip+encrypted', 'layer'],
  ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'layer'],
  ['application/vnd.in-toto+json', 'other'],
  ['application/octet-stream', 'other'],
])('%s is %s', (mediaType, kind) => {
  expect({ index: isIndex(mediaType), manifest: isManifest(mediaType), config: isConfig(mediaType), layer: isLayer(mediaType) }).toEqual({
    index: kind === 'index',
    manifest: kind === 'manifest',
    config: kind === 'config',
    layer: kind === 'layer',
  });
});

test('non-distributable layers', () => {
  expect(isNonDistributable('application/vnd.oci.image.layer.nondistributable.v1.tar')).toBe(true);
  expect(isNonDistributable('application/vnd.docker.image.rootfs.foreign.diff.tar.gzip')).toBe(true);
  expect(isNonDistributable('application/vnd.oci.image.layer.v1.tar')).toBe(false);
});

describe('parseIndex', () => {
  test('reads entries with platforms and annotations', () => {
    const index = parseIndex(
      enc({
        schemaVersion: 2,
        mediaType: MEDIA_TYPE_OCI_INDEX,
        manifests: [
          desc(MEDIA_TYPE_OCI_MANIFEST, D1, {
            platform: { architecture: 'arm', os: 'linux', variant: 'v7', 'os.features': ['x'], 'os.version': '1' },
            annotations: { a: 'b' },
          }),
          desc(MEDIA_TYPE_OCI_MANIFEST, D2, { platform: null, annotations: null }),
        ],
        annotations: { 'org.opencontainers.image.ref.name': 'x' },
      }),
    );
    expect(index.manifests).toEqual([
      {
        mediaType: MEDIA_TYPE_OCI_MANIFEST,
        digest: D1,
        size: 10,
        annotations: { a: 'b' },
        platform: { os: 'linux', architecture: 'arm', variant: 'v7', osVersion: '1', osFeatures: ['x'] },
      },
      { mediaType: MEDIA_TYPE_OCI_MANIFEST, digest: D2, size: 10, annotations: {} },
    ]);
    expect(index.annotations).toEqual({ 'org.opencontainers.image.ref.name': 'x' });
  });

  test('a missing manifests list is an empty index', () => {
    expect(parseIndex(enc({ schemaVersion: 2 })).manifests).toEqual([]);
  });

  test.each<[string, unknown, RegExp]>([
    ['not JSON', '{"manifests": [', /^index sha256:2{64} is not valid JSON/],
    ['not an object', [], /is malformed: expected a JSON object, got \[\]/],
    ['a manifest', { config: desc('x'), layers: [] }, /expected an index but the document is a manifest/],
    ['declares manifest type', { mediaType: MEDIA_TYPE_OCI_MANIFEST, manifests: [] }, /expected an index but the document is a manifest/],
    ['schema 1', { fsLayers: [] }, /Docker schema 1 manifests are not supported/],
    ['manifests not array', { manifests: {} }, /manifests: expected a JSON array/],
    ['entry without digest', { manifests: [{ mediaType: 'x', size: 1 }] }, /manifests\[0\]\.digest: is required/],
    ['bad digest', { manifests: [desc('x', 'sha256:zz')] }, /manifests\[0\]\.digest: invalid digest "sha256:zz"/],
    ['negative size', { manifests: [{ ...desc('x'), size: -1 }] }, /manifests\[0\]\.size: expected a non-negative integer, got -1/],
    ['string size', { manifests: [{ ...desc('x'), size: '10' }] }, /manifests\[0\]\.size: expected a non-negative integer, got "10"/],
    ['fractional size', { manifests: [{ ...desc('x'), size: 1.5 }] }, /size: expected a non-negative integer/],
    ['bad platform', { manifests: [desc('x', D1, { platform: 'linux' })] }, /manifests\[0\]\.platform: expected a JSON object/],
    ['bad annotation', { manifests: [desc('x', D1, { annotations: { a: 1 } })] }, /manifests\[0\]\.annotations\.a: expected a string, got 1/],
    ['bad schemaVersion', { schemaVersion: '2' }, /schemaVersion: expected an integer/],
  ])('%s → FailedPrecondition', (_name, doc, message) => {
    const source = { digest: D2, mediaType: MEDIA_TYPE_OCI_INDEX };
    expect(() => parseIndex(enc(doc), source)).toThrow(message);
    try {
      parseIndex(enc(doc), source);
    } catch (err) {
      expect((err as ImagedError).kind).toBe('FailedPrecondition');
    }
  });
});

describe('parseManifest', () => {
  test('reads config and layers', () => {
    const m = parseManifest(
      enc({ schemaVersion: 2, mediaType: MEDIA_TYPE_DOCKER_MANIFEST, config: desc('c'), layers: [desc('l', D2, { urls: ['https://x'] })] }),
    );
    expect(m.config).toEqual({ mediaType: 'c', digest: D1, size: 10, annotations: {} });
    expect(m.layers).toEqual([{ mediaType: 'l', digest: D2, size: 10, annotations: {}, urls: ['https://x'] }]);
  });

  test.each<[string, unknown, RegExp]>([
    ['an index', { manifests: [] }, /manifest sha256:2{64} is malformed: expected a manifest but the document is an index/],
    ['null manifests key still counts', { manifests: null, config: desc('c') }, /expected a manifest but the document is an index/],
    ['declares index type', { mediaType: MEDIA_TYPE_OCI_INDEX, config: desc('c') }, /expected a manifest but the document is an index \(application\/vnd\.oci\.image\.index\.v1\+json\)/],
    ['schema 1', { schemaVersion: 1, fsLayers: [{ blobSum: D1 }] }, /schema 1/],
    ['no config', { layers: [] }, /config: is required/],
    ['layers not array', { config: desc('c'), layers: 'x' }, /layers: expected a JSON array, got "x"/],
    ['layer bad', { config: desc('c'), layers: [desc('l'), 5] }, /layers\[1\]: expected a JSON object, got 5/],
    ['invalid UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /is not valid UTF-8/],
    ['BOM', '\ufeff{}', /is not valid JSON/],
  ])('%s → FailedPrecondition', (_name, doc, message) => {
    const bytes = doc instanceof Uint8Array ? doc : enc(doc);
    expect(() => parseManifest(bytes, SOURCE)).toThrow(message);
  });
});

describe('parseConfig', () => {
  const good = {
    architecture: 'arm',
    os: 'linux',
    variant: 'v7',
    created: '2020-01-01T00:00:00Z',
    config: { User: 'app', Env: ['A=1'], Entrypoint: null, Cmd: ['sh'], Labels: { l: 'v' }, ExposedPorts: { '80/tcp': {} } },
    rootfs: { type: 'layers', diff_ids: [D1, D2] },
    history: [{ created_by: 'x', empty_layer: true }],
    container_config: { Hostname: 'dropped' },
  };

  test('keeps OCI fields, drops others, treats null as absent', () => {
    const c = parseConfig(enc(good));
    expect(c).toEqual({
      created: '2020-01-01T00:00:00Z',
      architecture: 'arm',
      os: 'linux',
      variant: 'v7',
      config: { User: 'app', Env: ['A=1'], Cmd: ['sh'], Labels: { l: 'v' }, ExposedPorts: { '80/tcp': {} } },
      rootfs: { type: 'layers', diff_ids: [D1, D2] },
      history: [{ created_by: 'x', empty_layer: true }],
    });
    expect(configPlatform(c)).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  test('platform-only reading is lenient and normalized', () => {
    expect(parseConfigPlatform(enc({ architecture: 'aarch64', os: 'Linux' }))).toEqual({ os: 'linux', architecture: 'arm64' });
    expect(parseConfigPlatform(enc({ architecture: 'arm', os: 'linux', rootfs: 5 }))).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  test.each<[string, unknown, RegExp]>([
    ['no rootfs', { os: 'linux', architecture: 'amd64' }, /rootfs: is required/],
    ['no diff_ids', { rootfs: { type: 'layers' } }, /rootfs\.diff_ids: is required/],
    ['no rootfs type', { rootfs: { diff_ids: [] } }, /rootfs\.type: is required/],
    ['bad diff id', { rootfs: { type: 'layers', diff_ids: [D1, 'nope'] } }, /rootfs\.diff_ids\[1\]: invalid digest "nope"/],
    ['numeric diff id', { rootfs: { type: 'layers', diff_ids: [7] } }, /rootfs\.diff_ids\[0\]: expected a digest string, got 7/],
    ['bad os', { os: 1, rootfs: { type: 'layers', diff_ids: [] } }, /^image config sha256:2{64} is malformed: os: expected a string, got 1$/],
    ['bad Env', { config: { Env: 'A=1' }, rootfs: { type: 'layers', diff_ids: [] } }, /config\.Env: expected a JSON array/],
    ['bad User', { config: { User: 0 }, rootfs: { type: 'layers', diff_ids: [] } }, /config\.User: expected a string, got 0/],
    ['bad history', { history: [1], rootfs: { type: 'layers', diff_ids: [] } }, /history\[0\]: expected a JSON object/],
  ])('%s → FailedPrecondition', (_name, doc, message) => {
    expect(() => parseConfig(enc(doc), SOURCE)).toThrow(message);
  });
});

const kindOf = (f: () => unknown): string => {
  try {
    f();
    return 'value';
  } catch (err) {
    return err instanceof ImagedError ? err.kind : `unexpected ${String(err)}`;
  }
};

const parsers = [
  ['parseIndex', (b: Uint8Array) => parseIndex(b, { digest: D1 })],
  ['parseManifest', (b: Uint8Array) => parseManifest(b, { digest: D1 })],
  ['parseConfig', (b: Uint8Array) => parseConfig(b, { digest: D1 })],
  ['parseConfigPlatform', (b: Uint8Array) => parseConfigPlatform(b, { digest: D1 })],
] as const;

const ALLOWED = ['value', 'FailedPrecondition', 'InvalidArgument'];

const anyDigest = fc.oneof(fc.constant(D1), fc.constant(D2), fc.string(), fc.integer());
const anyDescriptor = fc.record(
  {
    mediaType: fc.oneof(fc.constantFrom(MEDIA_TYPE_OCI_MANIFEST, 'application/vnd.oci.image.layer.v1.tar+gzip'), fc.jsonValue()),
    digest: anyDigest,
    size: fc.oneof(fc.nat(), fc.integer(), fc.double(), fc.jsonValue()),
    annotations: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.jsonValue()),
    platform: fc.oneof(
      fc.record({ os: fc.oneof(fc.string(), fc.jsonValue()), architecture: fc.string(), 'os.features': fc.jsonValue() }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    urls: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
const nearlyValid = fc.record(
  {
    schemaVersion: fc.oneof(fc.constant(2), fc.jsonValue()),
    mediaType: fc.oneof(fc.constantFrom(MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST), fc.jsonValue()),
    manifests: fc.oneof(fc.array(anyDescriptor, { maxLength: 3 }), fc.jsonValue()),
    config: fc.oneof(anyDescriptor, fc.jsonValue()),
    layers: fc.oneof(fc.array(anyDescriptor, { maxLength: 3 }), fc.jsonValue()),
    os: fc.oneof(fc.string(), fc.jsonValue()),
    architecture: fc.string(),
    rootfs: fc.oneof(
      fc.record({ type: fc.oneof(fc.constant('layers'), fc.jsonValue()), diff_ids: fc.oneof(fc.array(anyDigest, { maxLength: 3 }), fc.jsonValue()) }, { requiredKeys: [] }),
      fc.jsonValue(),
    ),
    config_: fc.jsonValue(),
    history: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 2 }), fc.jsonValue()),
  },
  { requiredKeys: [] },
);

test.each(parsers)('%s on arbitrary JSON, near-valid documents and bytes yields a value or FailedPrecondition/InvalidArgument', (_name, parse) => {
  const inputs = fc.oneof(
    fc.jsonValue().map(enc),
    nearlyValid.map(enc),
    fc.uint8Array({ maxLength: 200 }),
    fc.string({ unit: 'binary' }).map(enc),
  );
  fc.assert(
    fc.property(inputs, (bytes) => {
      expect(ALLOWED).toContain(kindOf(() => parse(bytes)));
    }),
    { numRuns: 3000 },
  );
});

test('near-valid documents do parse sometimes (the generator reaches the happy path)', () => {
  const outcomes = fc.sample(nearlyValid.map(enc), { numRuns: 3000, seed: 42 }).map((b) => kindOf(() => parseConfig(b)));
  expect(outcomes.filter((o) => o === 'value').length).toBeGreaterThan(0);
});
