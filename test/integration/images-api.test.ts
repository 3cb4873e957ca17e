/** The Images, Namespaces, Leases and Events services through a real socket: semantics and every error path. */
import { create } from '@bufbuild/protobuf';
import { AnySchema } from '@bufbuild/protobuf/wkt';
import { toBinary } from '@bufbuild/protobuf';
import { ImageCreateSchema } from '../../gen/events/image_pb.js';
import { clientsFor, codeOf, inNamespace, messageOf } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const digest = (c: string) => `sha256:${c.repeat(64)}`;
const target = { mediaType: MANIFEST, digest: digest('a'), size: 7n };
const ns = inNamespace('api');

let daemon: ImagedProcess;
let c: ReturnType<typeof clientsFor>;

beforeAll(async () => {
  daemon = await startImaged();
  c = clientsFor(daemon.socket);
});
afterAll(async () => {
  c.close();
  await daemon.stop();
});

describe('namespace metadata', () => {
  test('missing namespace → FAILED_PRECONDITION "namespace is required"', async () => {
    expect(await codeOf(c.images.list({}))).toBe('FAILED_PRECONDITION');
    expect(await messageOf(c.images.get({ name: 'x' }))).toMatch(/^namespace is required/);
    expect(await codeOf(c.leases.list({}))).toBe('FAILED_PRECONDITION');
    expect(await codeOf(c.events.publish({ topic: '/a' }))).toBe('FAILED_PRECONDITION');
  });

  test.each(['Bad..Name', '-x', 'a'.repeat(77), 'sp ace'])('invalid namespace %j → INVALID_ARGUMENT', async (name) => {
    expect(await codeOf(c.images.list({}, inNamespace(name)))).toBe('INVALID_ARGUMENT');
  });
});

describe('Images', () => {
  test.each([
    ['no image', {}],
    ['empty name', { image: { name: '', target } }],
    ['bad digest', { image: { name: 'x', target: { ...target, digest: 'sha256:../../etc' } } }],
    ['zero size', { image: { name: 'x', target: { ...target, size: 0n } } }],
    ['negative size', { image: { name: 'x', target: { ...target, size: -1n } } }],
    ['no media type', { image: { name: 'x', target: { ...target, mediaType: '' } } }],
    ['label too large', { image: { name: 'x', labels: { k: 'v'.repeat(5000) }, target } }],
    ['empty label key', { image: { name: 'x', labels: { '': 'v' }, target } }],
    ['name longer than the store can key', { image: { name: `x${'y'.repeat(2000)}`, target } }],
  ])('Create with %s → INVALID_ARGUMENT, nothing stored', async (_what, req) => {
    expect(await codeOf(c.images.create(req, ns))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(c.images.get({ name: 'image' in req ? req.image.name : 'x' }, ns))).toBe('NOT_FOUND');
  });

  test('Create, AlreadyExists, Get, server-set timestamps, source_date_epoch', async () => {
    const before = BigInt(Math.floor(Date.now() / 1000));
    const { image } = await c.images.create({ image: { name: 'img:1', labels: { a: '1' }, target, createdAt: { seconds: 5n } } }, ns);
    expect(image?.createdAt?.seconds).toBeGreaterThanOrEqual(before);
    expect(image?.updatedAt).toEqual(image?.createdAt);
    expect(await codeOf(c.images.create({ image: { name: 'img:1', target } }, ns))).toBe('ALREADY_EXISTS');
    const epoch = await c.images.create({ image: { name: 'img:epoch', target }, sourceDateEpoch: { seconds: 1700000000n, nanos: 5 } }, ns);
    expect(epoch.image?.createdAt).toMatchObject({ seconds: 1700000000n, nanos: 5 });
    const got = await c.images.get({ name: 'img:1' }, ns);
    expect(got.image).toMatchObject({ name: 'img:1', labels: { a: '1' }, target: { digest: digest('a'), size: 7n, mediaType: MANIFEST } });
    expect(await codeOf(c.images.get({ name: 'img:1' }, inNamespace('elsewhere')))).toBe('NOT_FOUND');
  });

  test('Update with masks and errors', async () => {
    await c.images.create({ image: { name: 'upd:1', labels: { keep: 'y', k: 'old' }, target } }, ns);
    const newTarget = { mediaType: 'application/vnd.oci.image.index.v1+json', digest: digest('b'), size: 9n, annotations: { x: '1' } };
    let r = await c.images.update({ image: { name: 'upd:1', labels: { k: 'new' }, target: newTarget }, updateMask: { paths: ['labels.k'] } }, ns);
    expect(r.image?.labels).toEqual({ keep: 'y', k: 'new' });
    expect(r.image?.target?.digest).toBe(digest('a'));
    r = await c.images.update({ image: { name: 'upd:1', target: newTarget }, updateMask: { paths: ['annotations.x'] } }, ns);
    expect(r.image?.target?.annotations).toEqual({ x: '1' });
    r = await c.images.update({ image: { name: 'upd:1', target: newTarget }, updateMask: { paths: ['target'] } }, ns);
    expect(r.image?.target).toMatchObject({ digest: digest('b'), size: 9n });
    expect(r.image?.updatedAt?.seconds).toBeGreaterThanOrEqual(r.image?.createdAt?.seconds ?? 0n);
    r = await c.images.update({ image: { name: 'upd:1', labels: { only: 'this' }, target } }, ns);
    expect(r.image?.labels).toEqual({ only: 'this' });
    expect(r.image?.target?.digest).toBe(digest('a'));

    expect(await codeOf(c.images.update({ image: { name: 'nope', target } }, ns))).toBe('NOT_FOUND');
    expect(await codeOf(c.images.update({ image: { name: '', target } }, ns))).toBe('INVALID_ARGUMENT');
    expect(await messageOf(c.images.update({ image: { name: 'upd:1', target }, updateMask: { paths: ['name'] } }, ns))).toMatch(
      /cannot update "name" field on image "upd:1"/,
    );
    expect(await codeOf(c.images.update({ image: { name: 'upd:1', target: { ...target, size: 0n } } }, ns))).toBe('INVALID_ARGUMENT');
    expect((await c.images.get({ name: 'upd:1' }, ns)).image?.labels).toEqual({ only: 'this' });
  });

  test('List with filters; bad filter → INVALID_ARGUMENT', async () => {
    const lns = inNamespace('listing');
    for (const [name, labels, d] of [
      ['docker.io/library/a:1', { tier: 'gold', 'io.cri-containerd.image': 'managed' }, 'a'],
      ['docker.io/library/b:1', { tier: 'silver' }, 'b'],
      ['quay.io/c:1', {}, 'a'],
    ] as const) {
      await c.images.create({ image: { name, labels, target: { ...target, digest: digest(d) } } }, lns);
    }
    const names = async (...filters: string[]) => (await c.images.list({ filters }, lns)).images.map((i) => i.name);
    expect(await names()).toEqual(['docker.io/library/a:1', 'docker.io/library/b:1', 'quay.io/c:1']);
    expect(await names('labels.tier')).toEqual(['docker.io/library/a:1', 'docker.io/library/b:1']);
    expect(await names('labels.tier!=gold')).toEqual(['docker.io/library/b:1', 'quay.io/c:1']);
    expect(await names('labels."io.cri-containerd.image"==managed')).toEqual(['docker.io/library/a:1']);
    expect(await names('labels.io.cri-containerd.image==managed')).toEqual(['docker.io/library/a:1']);
    expect(await names(`target.digest==${digest('a')}`, 'name~=^docker.io/library/b')).toEqual([
      'docker.io/library/a:1',
      'docker.io/library/b:1',
      'quay.io/c:1',
    ]);
    expect(await names(`target.digest==${digest('a')},name~=^quay`)).toEqual(['quay.io/c:1']);
    expect(await names(`target.mediatype==${MANIFEST}`)).toHaveLength(3);
    for (const bad of ['name==', 'name~=(', '==x', 'labels.', 'name=x']) {
      expect(await codeOf(c.images.list({ filters: [bad] }, lns))).toBe('INVALID_ARGUMENT');
    }
  });

  test('Delete: NotFound, target guard, sync', async () => {
    await c.images.create({ image: { name: 'del:1', target } }, ns);
    expect(await codeOf(c.images.delete({ name: 'del:1', target: { digest: digest('f') } }, ns))).toBe('NOT_FOUND');
    await c.images.delete({ name: 'del:1', target: { digest: digest('a') }, sync: true }, ns);
    expect(await codeOf(c.images.delete({ name: 'del:1' }, ns))).toBe('NOT_FOUND');
    expect(await codeOf(c.images.delete({ name: '' }, ns))).toBe('INVALID_ARGUMENT');
  });
});

describe('Namespaces', () => {
  test('create, get, update with masks, list with filter, delete', async () => {
    await c.namespaces.create({ namespace: { name: 'team-x', labels: { a: '1', b: '2' } } });
    expect(await codeOf(c.namespaces.create({ namespace: { name: 'team-x' } }))).toBe('ALREADY_EXISTS');
    expect(await codeOf(c.namespaces.create({ namespace: { name: 'bad name' } }))).toBe('INVALID_ARGUMENT');
    let r = await c.namespaces.update({ namespace: { name: 'team-x', labels: { a: '9' } }, updateMask: { paths: ['labels.a', 'labels.b'] } });
    expect(r.namespace?.labels).toEqual({ a: '9' });
    r = await c.namespaces.update({ namespace: { name: 'team-x', labels: { c: '3' } } });
    expect(r.namespace?.labels).toEqual({ c: '3' });
    expect(await codeOf(c.namespaces.update({ namespace: { name: 'team-x' }, updateMask: { paths: ['name'] } }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(c.namespaces.update({ namespace: { name: 'ghost' } }))).toBe('NOT_FOUND');
    expect((await c.namespaces.get({ name: 'team-x' })).namespace?.labels).toEqual({ c: '3' });
    expect((await c.namespaces.list({ filter: 'labels.c==3' })).namespaces.map((n) => n.name)).toEqual(['team-x']);
    expect(await codeOf(c.namespaces.list({ filter: 'labels.c=' }))).toBe('INVALID_ARGUMENT');
    await c.namespaces.delete({ name: 'team-x' });
    expect(await codeOf(c.namespaces.get({ name: 'team-x' }))).toBe('NOT_FOUND');
    expect(await codeOf(c.namespaces.delete({ name: 'team-x' }))).toBe('NOT_FOUND');
  });

  test('a namespace holding images or leases cannot be deleted', async () => {
    const full = inNamespace('full');
    await c.images.create({ image: { name: 'x:1', target } }, full);
    await c.leases.create({ id: 'l' }, full);
    expect(await messageOf(c.namespaces.delete({ name: 'full' }))).toMatch(/must be empty, but it still has images, leases/);
  });
});

describe('Leases', () => {
  test('create, list with filters, resources, delete', async () => {
    const lns = inNamespace('leasing');
    const { lease } = await c.leases.create({ id: 'pull-1', labels: { 'containerd.io/gc.expire': '2030-01-01T00:00:00Z' } }, lns);
    expect(lease?.createdAt?.seconds).toBeGreaterThan(0n);
    await c.leases.create({ id: 'pull-2' }, lns);
    expect(await codeOf(c.leases.create({ id: 'pull-1' }, lns))).toBe('ALREADY_EXISTS');
    expect(await codeOf(c.leases.create({ id: '' }, lns))).toBe('INVALID_ARGUMENT');
    expect((await c.leases.list({ filters: ['id==pull-2'] }, lns)).leases.map((l) => l.id)).toEqual(['pull-2']);
    expect((await c.leases.list({ filters: ['labels."containerd.io/gc.expire"'] }, lns)).leases.map((l) => l.id)).toEqual(['pull-1']);
    await c.leases.addResource({ id: 'pull-1', resource: { id: digest('a'), type: 'content' } }, lns);
    await c.leases.addResource({ id: 'pull-1', resource: { id: 'ref-1', type: 'ingests' } }, lns);
    await c.leases.addResource({ id: 'pull-1', resource: { id: digest('a'), type: 'content' } }, lns);
    expect((await c.leases.listResources({ id: 'pull-1' }, lns)).resources).toEqual([
      expect.objectContaining({ id: digest('a'), type: 'content' }),
      expect.objectContaining({ id: 'ref-1', type: 'ingests' }),
    ]);
    expect(await codeOf(c.leases.addResource({ id: 'pull-1', resource: { id: 'nope', type: 'content' } }, lns))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(c.leases.addResource({ id: 'pull-1', resource: { id: 'x', type: 'containers' } }, lns))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(c.leases.addResource({ id: 'ghost', resource: { id: 'x', type: 'ingests' } }, lns))).toBe('NOT_FOUND');
    await c.leases.deleteResource({ id: 'pull-1', resource: { id: 'ref-1', type: 'ingests' } }, lns);
    expect((await c.leases.listResources({ id: 'pull-1' }, lns)).resources).toHaveLength(1);
    await c.leases.delete({ id: 'pull-1', sync: true }, lns);
    expect(await codeOf(c.leases.delete({ id: 'pull-1' }, lns))).toBe('NOT_FOUND');
    expect(await codeOf(c.leases.listResources({ id: 'pull-1' }, lns))).toBe('NOT_FOUND');
  });
});

describe('Events', () => {
  const collect = async (filters: string[], act: () => Promise<void>, want: number) => {
    const stream = c.events.subscribe({ filters });
    const got: { namespace: string; topic: string; typeUrl: string; value: Uint8Array }[] = [];
    const done = (async () => {
      for await (const e of stream) {
        got.push({ namespace: e.namespace, topic: e.topic, typeUrl: e.event?.typeUrl ?? '', value: e.event?.value ?? new Uint8Array() });
        if (got.length === want) break;
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    await act();
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    (stream as unknown as { cancel(): void }).cancel();
    return got;
  };

  test('image mutations publish with bare type URLs; filters on namespace, topic and event fields', async () => {
    const evns = inNamespace('ev');
    const got = await collect(['namespace==ev,topic~="^/images/"', 'namespace==ev,event.name==special'], async () => {
      await c.images.create({ image: { name: 'e:1', labels: { k: 'v' }, target } }, evns);
      await c.images.create({ image: { name: 'e:other' , target } }, inNamespace('not-ev'));
      await c.images.update({ image: { name: 'e:1', labels: { k: 'w' }, target } }, evns);
      await c.images.delete({ name: 'e:1' }, evns);
      await c.events.publish({ topic: '/custom/thing', event: create(AnySchema, { typeUrl: 'containerd.services.images.v1.ImageCreate', value: toBinary(ImageCreateSchema, { $typeName: 'containerd.services.images.v1.ImageCreate', name: 'special', labels: {} }) }) }, evns);
    }, 4);
    expect(got.map((e) => [e.namespace, e.topic, e.typeUrl])).toEqual([
      ['ev', '/images/create', 'containerd.services.images.v1.ImageCreate'],
      ['ev', '/images/update', 'containerd.services.images.v1.ImageUpdate'],
      ['ev', '/images/delete', 'containerd.services.images.v1.ImageDelete'],
      ['ev', '/custom/thing', 'containerd.services.images.v1.ImageCreate'],
    ]);
  });

  test('Publish and Forward validation', async () => {
    const any = create(AnySchema, { typeUrl: 'x.Y', value: new Uint8Array([1]) });
    expect(await codeOf(c.events.publish({ topic: 'no-slash', event: any }, ns))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(c.events.publish({ topic: '/ok' }, ns))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(c.events.publish({ topic: '/ok', event: any }, ns))).toBe('OK');
    expect(await codeOf(c.events.forward({ envelope: { namespace: 'api', topic: '/ok', event: any } }))).toBe('OK');
    expect(await codeOf(c.events.forward({ envelope: { namespace: '', topic: '/ok', event: any } }))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(c.events.forward({}))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(c.events.subscribe({ filters: ['topic=='] })[Symbol.asyncIterator]().next())).toBe('INVALID_ARGUMENT');
  });
});
