/** The Content service through a real socket: Write protocol details and every error path. */
import { createHash, randomBytes } from 'node:crypto';
import { WriteAction } from '../../gen/services/content/v1/content_pb.js';
import { clientsFor, codeOf, inNamespace, messageOf } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';

let daemon: ImagedProcess;
let c: ReturnType<typeof clientsFor>;
const ns = inNamespace('capi');
const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

beforeAll(async () => {
  daemon = await startImaged();
  c = clientsFor(daemon.socket);
  while (!daemon.stderr().includes('garbage collected')) await new Promise((r) => setTimeout(r, 10));
});
afterAll(async () => {
  c.close();
  await daemon.stop();
});

type Msg = Parameters<typeof c.content.write>[0] extends AsyncIterable<infer M> ? M : never;
async function* messages(...ms: Msg[]) {
  yield* ms;
}
const replies = async (ms: Msg[], options: { metadata: Record<string, string> } = ns) => {
  const out = [];
  for await (const r of c.content.write(messages(...ms), options)) out.push(r);
  return out;
};
const writeBlob = (ref: string, data: Uint8Array, labels: Record<string, string> = {}, options: { metadata: Record<string, string> } = ns) =>
  replies([
    { action: WriteAction.WRITE, ref, offset: 0n, data },
    { action: WriteAction.COMMIT, ref, offset: BigInt(data.length), total: BigInt(data.length), expected: sha(data), labels },
  ], options);

test('STAT, WRITE, COMMIT replies carry offset, total and digest', async () => {
  const data = randomBytes(3000);
  const r = await replies([
    { action: WriteAction.STAT, ref: 'w1', total: 3000n, expected: sha(data) },
    { action: WriteAction.WRITE, ref: 'w1', offset: 0n, data: data.subarray(0, 1000) },
    { action: WriteAction.WRITE, ref: 'w1', offset: 1000n, data: data.subarray(1000) },
    { action: WriteAction.COMMIT, ref: 'w1', offset: 3000n, total: 3000n, expected: sha(data), labels: { a: 'b' } },
  ]);
  expect(r.map((x) => [x.action, Number(x.offset), Number(x.total)])).toEqual([
    [WriteAction.STAT, 0, 3000],
    [WriteAction.WRITE, 1000, 3000],
    [WriteAction.WRITE, 3000, 3000],
    [WriteAction.COMMIT, 3000, 3000],
  ]);
  expect(r[0]?.startedAt?.seconds).toBeGreaterThan(0n);
  expect(r[3]?.digest).toBe(sha(data));
  const { info } = await c.content.info({ digest: sha(data) }, ns);
  expect(info).toMatchObject({ size: 3000n, labels: { a: 'b' } });
});

test('Write errors: no ref, wrong offset, wrong size, wrong digest, already exists', async () => {
  expect(await codeOf(replies([{ action: WriteAction.STAT, ref: '' }]))).toBe('INVALID_ARGUMENT');
  expect(await messageOf(replies([{ action: WriteAction.STAT, ref: '' }]))).toBe('first message must have a reference');
  expect(await codeOf(replies([
    { action: WriteAction.WRITE, ref: 'w2', offset: 0n, data: Buffer.from('abc') },
    { action: WriteAction.WRITE, ref: 'w2', offset: 7n, data: Buffer.from('def') },
  ]))).toBe('OUT_OF_RANGE');
  expect(await codeOf(replies([{ action: WriteAction.COMMIT, ref: 'w2', offset: 3n, total: 4n }]))).toBe('FAILED_PRECONDITION');
  expect(await messageOf(replies([{ action: WriteAction.COMMIT, ref: 'w2', offset: 3n, expected: `sha256:${'0'.repeat(64)}` }]))).toMatch(
    /the data has digest sha256:[0-9a-f]{64}, but sha256:0{64} was expected/,
  );
  // Nothing became visible, and the ingest is still there to retry.
  expect(await codeOf(c.content.info({ digest: sha(Buffer.from('abc')) }, ns))).toBe('NOT_FOUND');
  expect((await c.content.status({ ref: 'w2' }, ns)).status?.offset).toBe(3n);
  await writeBlob('w3', Buffer.from('exists'));
  expect(await codeOf(replies([{ action: WriteAction.STAT, ref: 'w4', expected: sha(Buffer.from('exists')) }]))).toBe('ALREADY_EXISTS');
  expect(await codeOf(replies([{ action: WriteAction.STAT, ref: 'w4', expected: 'sha256:nope' }]))).toBe('INVALID_ARGUMENT');
  // Sizes and offsets a file cannot have (int64 values beyond 2^53, negative ones) are refused, and start no ingest.
  expect(await messageOf(replies([{ action: WriteAction.STAT, ref: 'w5', total: 2n ** 63n - 1n }]))).toBe(
    'total 9223372036854775807 is out of range: expected 0 to 9007199254740991 bytes',
  );
  expect(await codeOf(replies([{ action: WriteAction.STAT, ref: 'w5', total: -1n }]))).toBe('INVALID_ARGUMENT');
  expect(await codeOf(c.content.status({ ref: 'w5' }, ns))).toBe('NOT_FOUND');
  expect(await codeOf(replies([{ action: WriteAction.WRITE, ref: 'w2', offset: -3n, data: Buffer.from('x') }]))).toBe('INVALID_ARGUMENT');
  await c.content.abort({ ref: 'w2' }, ns);
  expect(await codeOf(c.content.abort({ ref: 'w2' }, ns))).toBe('NOT_FOUND');
});

test('a second writer on the same ref is refused with Unavailable naming the holder', async () => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  async function* slow() {
    yield { action: WriteAction.WRITE, ref: 'locked', offset: 0n, data: Buffer.from('a') };
    await held;
  }
  const first = (async () => {
    for await (const _ of c.content.write(slow(), ns)) void _;
  })();
  while ((await c.content.listStatuses({ filters: ['ref==locked'] }, ns)).statuses.length === 0) await new Promise((r) => setTimeout(r, 5));
  expect(await codeOf(replies([{ action: WriteAction.STAT, ref: 'locked' }]))).toBe('UNAVAILABLE');
  expect(await messageOf(replies([{ action: WriteAction.STAT, ref: 'locked' }]))).toMatch(/ref capi\/locked locked for writing since/);
  release();
  await first;
  expect(await codeOf(replies([{ action: WriteAction.STAT, ref: 'locked' }]))).toBe('OK');
});

test('a blob another namespace has is shared without a second write', async () => {
  const data = Buffer.from('shared bytes');
  await writeBlob('s1', data, {}, inNamespace('share-a'));
  expect(await codeOf(replies([{ action: WriteAction.STAT, ref: 's2', expected: sha(data), total: BigInt(data.length) }], inNamespace('share-b')))).toBe(
    'ALREADY_EXISTS',
  );
  expect((await c.content.info({ digest: sha(data) }, inNamespace('share-b'))).info?.size).toBe(BigInt(data.length));
});

test('Read chunks, offsets and OutOfRange; Info/Update/Delete validation', async () => {
  const data = randomBytes(2.5 * (1 << 20));
  await writeBlob('r1', data);
  const chunks = [];
  for await (const r of c.content.read({ digest: sha(data) }, ns)) chunks.push(r);
  expect(chunks.map((r) => r.data.length)).toEqual([1 << 20, 1 << 20, 0.5 * (1 << 20)]);
  expect(chunks.map((r) => Number(r.offset))).toEqual([0, 1 << 20, 2 << 20]);
  const part = [];
  for await (const r of c.content.read({ digest: sha(data), offset: 100n, size: 50n }, ns)) part.push(r.data);
  expect(Buffer.compare(Buffer.concat(part), data.subarray(100, 150))).toBe(0);
  const past = (async () => {
    for await (const _ of c.content.read({ digest: sha(data), offset: BigInt(data.length + 1) }, ns)) void _;
  })();
  expect(await codeOf(past)).toBe('OUT_OF_RANGE');

  expect(await codeOf(c.content.info({ digest: 'sha256:../../etc/passwd' }, ns))).toBe('INVALID_ARGUMENT');
  expect(await codeOf(c.content.info({ digest: `sha256:${'A'.repeat(64)}` }, ns))).toBe('INVALID_ARGUMENT');
  expect(await codeOf(c.content.info({ digest: `sha256:${'0'.repeat(64)}` }, ns))).toBe('NOT_FOUND');
  const updated = await c.content.update({ info: { digest: sha(data), labels: { x: '1', y: '2' } }, updateMask: { paths: ['labels.x'] } }, ns);
  expect(updated.info?.labels).toEqual({ x: '1' });
  expect(await codeOf(c.content.update({ info: { digest: sha(data), size: 1n }, updateMask: { paths: ['size'] } }, ns))).toBe('INVALID_ARGUMENT');
  expect(await codeOf(c.content.update({ info: { digest: sha(data), labels: { k: 'v'.repeat(5000) } } }, ns))).toBe('INVALID_ARGUMENT');
  expect(await codeOf(c.content.update({}, ns))).toBe('INVALID_ARGUMENT');
  await c.content.delete({ digest: sha(data) }, ns);
  expect(await codeOf(c.content.delete({ digest: sha(data) }, ns))).toBe('NOT_FOUND');
  expect(await codeOf(c.content.delete({ digest: 'bad' }, ns))).toBe('INVALID_ARGUMENT');
});

test('List streams batches of at most 100 and honours filters; lease header attaches content', async () => {
  const lns = inNamespace('listing');
  await c.leases.create({ id: 'hold' }, lns);
  const leased = { metadata: { 'containerd-namespace': 'listing', 'containerd-lease': 'hold' } };
  for (let i = 0; i < 150; i++) await writeBlob(`l${i}`, Buffer.from(`blob ${i}`), i % 2 === 0 ? { even: 'yes' } : {}, leased);
  const batches = [];
  for await (const b of c.content.list({}, lns)) batches.push(b.info.length);
  expect(batches).toEqual([100, 50]);
  let even = 0;
  for await (const b of c.content.list({ filters: ['labels.even==yes'] }, lns)) even += b.info.length;
  expect(even).toBe(75);
  const { resources } = await c.leases.listResources({ id: 'hold' }, lns);
  expect(resources.filter((r) => r.type === 'content')).toHaveLength(150);
  expect(await codeOf(replies([{ action: WriteAction.STAT, ref: 'x' }], { metadata: { 'containerd-namespace': 'listing', 'containerd-lease': 'ghost' } }))).toBe(
    'NOT_FOUND',
  );
});
