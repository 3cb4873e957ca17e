import { createEventBus, type Envelope } from '../../src/events/index.js';
import { ImagedError } from '../../src/errdefs/index.js';
import type { ImageInput } from '../../src/images/index.js';
import type { Metadata } from '../../src/metadata/index.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { tempDir } from '../support/temp-dir.js';

const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const image = (name: string, extra: Partial<ImageInput> = {}): ImageInput => ({
  name,
  labels: {},
  target: { mediaType: MANIFEST, digest: DIGEST_A, size: 10, annotations: {} },
  ...extra,
});

const kindOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof ImagedError ? err.kind : `unexpected ${String(err)}`;
  }
};

describe('ImageStore', () => {
  let root: string;
  let storage: Storage;
  let md: Metadata;
  const seen: Envelope[] = [];

  beforeEach(async () => {
    root = tempDir();
    const bus = createEventBus();
    bus.subscribe(() => true, (e) => seen.push(e));
    seen.length = 0;
    storage = await openStorage(root, bus);
    md = storage.metadata;
  });
  afterEach(async () => storage.close());

  test('create sets timestamps, rejects duplicates and publishes', async () => {
    const created = await md.images.create('ns', image('a', { labels: { k: 'v', gone: '' } }));
    expect(created.createdAt).toBe(created.updatedAt);
    expect(created.labels).toEqual({ k: 'v' });
    expect(await kindOf(md.images.create('ns', image('a')))).toBe('AlreadyExists');
    expect(md.images.get('ns', 'a').target.digest).toBe(DIGEST_A);
    expect(await kindOf(Promise.resolve().then(() => md.images.get('other', 'a')))).toBe('NotFound');
    expect(seen.map((e) => [e.namespace, e.topic, e.event.typeName])).toEqual([
      ['ns', '/images/create', 'containerd.services.images.v1.ImageCreate'],
    ]);
    expect(md.namespaces.list().map((n) => n.name)).toEqual(['ns']);
  });

  test('source date epoch is recorded instead of now', async () => {
    const created = await md.images.create('ns', image('a'), { sourceDateEpoch: 1_000_000_123n });
    expect(created.createdAt).toBe(1_000_000_123n);
    const updated = await md.images.update('ns', image('a'), [], { sourceDateEpoch: 2_000_000_000n });
    expect(updated).toMatchObject({ createdAt: 1_000_000_123n, updatedAt: 2_000_000_000n });
  });

  test.each([
    ['empty name', image('')],
    ['bad digest', image('x', { target: { mediaType: MANIFEST, digest: 'sha256:abc', size: 1, annotations: {} } })],
    ['upper-case digest', image('x', { target: { mediaType: MANIFEST, digest: `sha256:${'A'.repeat(64)}`, size: 1, annotations: {} } })],
    ['zero size', image('x', { target: { mediaType: MANIFEST, digest: DIGEST_A, size: 0, annotations: {} } })],
    ['no media type', image('x', { target: { mediaType: '', digest: DIGEST_A, size: 1, annotations: {} } })],
    ['oversized label', image('x', { labels: { k: 'v'.repeat(4096) } })],
  ])('create rejects %s with InvalidArgument and stores nothing', async (_what, input) => {
    expect(await kindOf(md.images.create('ns', input))).toBe('InvalidArgument');
    expect(md.images.list('ns')).toEqual([]);
    expect(seen).toEqual([]);
  });

  test.each([
    [['labels.k'], { k: 'new', keep: 'yes' }, { b: '2' }],
    [['labels'], { k: 'new' }, { b: '2' }],
    [['annotations.a'], { k: 'old', keep: 'yes' }, { a: '1', b: '2' }],
    [['annotations'], { k: 'old', keep: 'yes' }, { a: '1' }],
  ])('update with mask %j', async (paths, labels, annotations) => {
    await md.images.create('ns', image('a', { labels: { k: 'old', keep: 'yes' }, target: { mediaType: MANIFEST, digest: DIGEST_A, size: 10, annotations: { b: '2' } } }));
    const patch = image('a', { labels: { k: 'new' }, target: { mediaType: 'other', digest: DIGEST_B, size: 99, annotations: { a: '1' } } });
    const updated = await md.images.update('ns', patch, paths);
    expect(updated.labels).toEqual(labels);
    expect(updated.target.annotations).toEqual(annotations);
    expect(updated.target.digest).toBe(DIGEST_A);
  });

  test('update: labels.<k> to empty removes the label, target replaces the descriptor', async () => {
    await md.images.create('ns', image('a', { labels: { k: 'v' } }));
    expect((await md.images.update('ns', image('a'), ['labels.k'])).labels).toEqual({});
    const target = { mediaType: 'x/y', digest: DIGEST_B, size: 5, annotations: {} };
    expect((await md.images.update('ns', image('a', { target }), ['target'])).target).toEqual(target);
  });

  test('update errors', async () => {
    expect(await kindOf(md.images.update('ns', image('a'), []))).toBe('NotFound');
    await md.images.create('ns', image('a', { labels: { k: 'v' } }));
    expect(await kindOf(md.images.update('ns', image('a'), ['name']))).toBe('InvalidArgument');
    expect(await kindOf(md.images.update('ns', image(''), []))).toBe('InvalidArgument');
    expect(md.images.get('ns', 'a').labels).toEqual({ k: 'v' });
  });

  test('delete honours the target guard', async () => {
    await md.images.create('ns', image('a'));
    expect(await kindOf(md.images.delete('ns', 'a', { targetDigest: DIGEST_B }))).toBe('NotFound');
    await md.images.delete('ns', 'a', { targetDigest: DIGEST_A });
    expect(await kindOf(md.images.delete('ns', 'a'))).toBe('NotFound');
    expect(seen.map((e) => e.topic)).toEqual(['/images/create', '/images/delete']);
  });

  test('concurrent creates of one name: exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => kindOf(md.images.create('ns', image('same')))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'AlreadyExists')).toHaveLength(9);
  });

  test('everything survives a reopen', async () => {
    await md.images.create('ns', image('a', { labels: { k: 'v' } }));
    await md.leases.create('ns', 'l1', { x: 'y' });
    await md.namespaces.create('empty', { team: 'a' });
    await storage.close();
    storage = await openStorage(root, createEventBus());
    md = storage.metadata;
    expect(md.images.get('ns', 'a').labels).toEqual({ k: 'v' });
    expect(md.leases.get('ns', 'l1').labels).toEqual({ x: 'y' });
    expect(md.namespaces.list()).toEqual([
      { name: 'empty', labels: { team: 'a' } },
      { name: 'ns', labels: {} },
    ]);
  });

  test('a namespace that holds images cannot be deleted', async () => {
    await md.images.create('ns', image('a'));
    await expect(md.namespaces.delete('ns')).rejects.toThrow('must be empty, but it still has images');
    await md.images.delete('ns', 'a');
    await md.namespaces.delete('ns');
    expect(md.namespaces.list()).toEqual([]);
  });
});
