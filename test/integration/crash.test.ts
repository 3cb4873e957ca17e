/** Durability: restart keeps everything; SIGKILL in the middle of a burst of Creates leaves whole images only. */
import { createHash, randomBytes } from 'node:crypto';
import { WriteAction } from '../../gen/services/content/v1/content_pb.js';
import { clientsFor, inNamespace } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';

const ns = inNamespace('crash');
const record = (i: number) => ({
  name: `example.com/burst/img-${i}:v1`,
  labels: Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`label-${k}`, `value-${i}-${k}`])),
  target: {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: `sha256:${i.toString(16).padStart(64, '0')}`,
    size: BigInt(1000 + i),
    annotations: { index: String(i) },
  },
});

test('SIGKILL during a burst of Creates, then restart: acknowledged images are whole, others absent', async () => {
  const first = await startImaged();
  const c1 = clientsFor(first.socket);
  const acknowledged = new Set<number>();
  const total = 3000;
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      try {
        await c1.images.create({ image: record(i) }, ns);
        acknowledged.add(i);
      } catch {
        return; // the daemon died under us
      }
    }
  };
  const workers = Array.from({ length: 32 }, worker);
  while (acknowledged.size < 300) await new Promise((r) => setTimeout(r, 1));
  await first.kill();
  await Promise.all(workers);
  c1.close();
  expect(acknowledged.size).toBeLessThan(total);

  const second = await startImaged({ root: first.root });
  const c2 = clientsFor(second.socket);
  try {
    const { images } = await c2.images.list({}, ns);
    const present = new Map(images.map((im) => [im.name, im]));
    for (const i of acknowledged) expect(present.has(record(i).name)).toBe(true);
    for (const im of images) {
      const i = Number(im.target?.annotations.index);
      const want = record(i);
      expect(im.name).toBe(want.name);
      expect(im.labels).toEqual(want.labels);
      expect(im.target).toMatchObject({ mediaType: want.target.mediaType, digest: want.target.digest, size: want.target.size });
    }
    // The reopened store takes writes again.
    await c2.images.create({ image: record(total + 1) }, ns);
  } finally {
    c2.close();
    expect(await second.stop()).toBe(0);
  }
});

test('graceful restart keeps images, namespaces and leases', async () => {
  const first = await startImaged();
  const c1 = clientsFor(first.socket);
  await c1.namespaces.create({ namespace: { name: 'kept', labels: { a: 'b' } } });
  await c1.images.create({ image: record(1) }, inNamespace('kept'));
  await c1.leases.create({ id: 'l1', labels: { x: 'y' } }, inNamespace('kept'));
  c1.close();
  expect(await first.stop()).toBe(0);
  const second = await startImaged({ root: first.root });
  const c2 = clientsFor(second.socket);
  try {
    expect((await c2.namespaces.get({ name: 'kept' })).namespace?.labels).toEqual({ a: 'b' });
    expect((await c2.images.get({ name: record(1).name }, inNamespace('kept'))).image?.labels).toEqual(record(1).labels);
    expect((await c2.leases.list({}, inNamespace('kept'))).leases.map((l) => l.id)).toEqual(['l1']);
  } finally {
    c2.close();
    await second.stop();
  }
});

test('SIGKILL during a large ingest, restart, resume from the stored offset to the right digest', async () => {
  const data = randomBytes(48 << 20);
  const expected = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const ns = inNamespace('ingest');
  const CHUNK = 1 << 20;
  const first = await startImaged();
  const c1 = clientsFor(first.socket);
  let acknowledged = 0;
  async function* firstPart() {
    yield { action: WriteAction.STAT, ref: 'big', total: BigInt(data.length), expected };
    for (let offset = 0; offset < data.length; offset += CHUNK) {
      yield { action: WriteAction.WRITE, ref: 'big', offset: BigInt(offset), data: data.subarray(offset, offset + CHUNK) };
    }
  }
  const writing = (async () => {
    try {
      for await (const reply of c1.content.write(firstPart(), ns)) acknowledged = Number(reply.offset);
    } catch {
      // the daemon is killed under the stream
    }
  })();
  while (acknowledged < 8 << 20) await new Promise((r) => setTimeout(r, 1));
  await first.kill();
  await writing;
  c1.close();
  expect(acknowledged).toBeLessThan(data.length);

  const second = await startImaged({ root: first.root });
  const c2 = clientsFor(second.socket);
  try {
    const { status } = await c2.content.status({ ref: 'big' }, ns);
    const offset = Number(status?.offset);
    expect(offset).toBeGreaterThanOrEqual(acknowledged);
    expect(offset).toBeLessThanOrEqual(data.length);
    async function* rest() {
      const stat = { action: WriteAction.STAT, ref: 'big', total: BigInt(data.length), expected };
      yield stat;
      for (let at = offset; at < data.length; at += CHUNK) {
        yield { action: WriteAction.WRITE, ref: 'big', offset: BigInt(at), data: data.subarray(at, at + CHUNK) };
      }
      yield { action: WriteAction.COMMIT, ref: 'big', offset: BigInt(data.length), total: BigInt(data.length), expected };
    }
    let last;
    for await (const reply of c2.content.write(rest(), ns)) last = reply;
    expect(last?.digest).toBe(expected);
    const { info } = await c2.content.info({ digest: expected }, ns);
    expect(info?.size).toBe(BigInt(data.length));
    expect((await c2.content.listStatuses({}, ns)).statuses).toEqual([]);
  } finally {
    c2.close();
    await second.stop();
  }
});
