import type { Descriptor } from '../../src/content/index.js';
import {
  ANNOTATION_MANIFEST_SUBJECT,
  children,
  childGcLabelKeys,
  childGcLabelKeysWithoutLayers,
  childGcLabels,
} from '../../src/images/handlers/index.js';
import { buildMultiArch, providerFor } from '../support/oci-fixture.js';

const d = (mediaType: string, n: number, annotations: Record<string, string> = {}): Descriptor => ({
  mediaType,
  digest: `sha256:${n.toString(16).padStart(64, '0')}`,
  size: 1,
  annotations,
});
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

test.each([
  [MANIFEST, ['containerd.io/gc.ref.content.m.']],
  [DOCKER_MANIFEST, ['containerd.io/gc.ref.content.m.']],
  [CONFIG, ['containerd.io/gc.ref.content.config']],
  ['application/vnd.docker.container.image.v1+json', ['containerd.io/gc.ref.content.config']],
  ['application/vnd.containerd.container.checkpoint.config.v1+proto', ['containerd.io/gc.ref.content.config']],
  [LAYER, ['containerd.io/gc.ref.content.l.']],
  ['application/vnd.docker.image.rootfs.diff.tar.gzip', ['containerd.io/gc.ref.content.l.']],
  [INDEX, ['containerd.io/gc.ref.content.']],
  ['application/vnd.in-toto+json', ['containerd.io/gc.ref.content.']],
])('%s → %j', (mediaType, keys) => {
  expect(childGcLabelKeys(d(mediaType, 1))).toEqual(keys);
});

test('a manifest: the config unnumbered, layers numbered among layers', () => {
  expect(childGcLabels([d(CONFIG, 1), d(LAYER, 2), d(LAYER, 3), d(LAYER, 2)])).toEqual({
    'containerd.io/gc.ref.content.config': d(CONFIG, 1).digest,
    'containerd.io/gc.ref.content.l.0': d(LAYER, 2).digest,
    'containerd.io/gc.ref.content.l.1': d(LAYER, 3).digest,
    'containerd.io/gc.ref.content.l.2': d(LAYER, 2).digest,
  });
});

test('each stem has its own counter; stems without a trailing dot are numbered from the second use', () => {
  expect(childGcLabels([d(MANIFEST, 1), d(INDEX, 2), d(DOCKER_MANIFEST, 3), d('application/octet-stream', 4), d(CONFIG, 5), d(CONFIG, 6)])).toEqual({
    'containerd.io/gc.ref.content.m.0': d(MANIFEST, 1).digest,
    'containerd.io/gc.ref.content.0': d(INDEX, 2).digest,
    'containerd.io/gc.ref.content.m.1': d(DOCKER_MANIFEST, 3).digest,
    'containerd.io/gc.ref.content.1': d('application/octet-stream', 4).digest,
    'containerd.io/gc.ref.content.config': d(CONFIG, 5).digest,
    'containerd.io/gc.ref.content.config1': d(CONFIG, 6).digest,
  });
});

test('referrers are keyed by the first 12 hex digits of their digest', () => {
  const ref: Descriptor = {
    mediaType: MANIFEST,
    digest: `sha256:abcdef123456${'7'.repeat(52)}`,
    size: 1,
    annotations: { [ANNOTATION_MANIFEST_SUBJECT]: 'sha256:x' },
  };
  expect(childGcLabels([d(MANIFEST, 1), ref])).toEqual({
    'containerd.io/gc.ref.content.m.0': d(MANIFEST, 1).digest,
    'containerd.io/gc.ref.content.referrer.sha256.abcdef123456': ref.digest,
  });
});

test('the layer-less variant labels only config', () => {
  expect(childGcLabels([d(CONFIG, 1), d(LAYER, 2)], childGcLabelKeysWithoutLayers)).toEqual({
    'containerd.io/gc.ref.content.config': d(CONFIG, 1).digest,
  });
  expect(childGcLabels([])).toEqual({});
});

test('on a buildx index every manifest (attestations included) gets m.<n> in index order', async () => {
  const { index, images } = buildMultiArch();
  const provider = providerFor(index);
  const labels = childGcLabels(await children(provider, index.index.descriptor));
  expect(Object.keys(labels)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `containerd.io/gc.ref.content.m.${i}`));
  expect(labels['containerd.io/gc.ref.content.m.1']).toBe(images.arm64.manifest.descriptor.digest);
  const manifestLabels = childGcLabels(await children(provider, images.arm64.manifest.descriptor));
  expect(manifestLabels).toEqual({
    'containerd.io/gc.ref.content.config': images.arm64.config.descriptor.digest,
    'containerd.io/gc.ref.content.l.0': images.arm64.layers[0]!.descriptor.digest,
    'containerd.io/gc.ref.content.l.1': images.arm64.layers[1]!.descriptor.digest,
  });
});
