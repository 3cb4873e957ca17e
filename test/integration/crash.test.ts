/** Durability: restart keeps everything; SIGKILL in the middle of a burst of Creates leaves whole images only. */
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
