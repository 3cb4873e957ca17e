/** Writing downloads in large pieces: same bytes in the same order, failures reported, nothing received lost. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { batches, writeInBatches } from '../../src/pull/write-batches.js';

async function* from(chunks: readonly Uint8Array[], failAfter?: Error): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
  if (failAfter !== undefined) throw failAfter;
}

const chunksArb = fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 30 });
const joined = (parts: readonly Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

test('pieces hold every byte in order; all but the last reach the batch size', async () => {
  await fc.assert(
    fc.asyncProperty(chunksArb, fc.integer({ min: 1, max: 100 }), async (chunks, size) => {
      const pieces: Uint8Array[] = [];
      for await (const piece of batches(from(chunks), size)) pieces.push(piece);
      expect(joined(pieces).equals(joined(chunks))).toBe(true);
      expect(pieces.slice(0, -1).every((p) => p.byteLength >= size)).toBe(true);
      expect(pieces.every((p) => p.byteLength > 0)).toBe(true);
    }),
  );
});

test('when the download fails, what arrived is written first and the download error is reported', async () => {
  await fc.assert(
    fc.asyncProperty(chunksArb, fc.integer({ min: 1, max: 100 }), async (chunks, size) => {
      const written: Uint8Array[] = [];
      const failure = new Error('connection reset');
      await expect(writeInBatches(from(chunks, failure), size, async (p) => void written.push(p))).rejects.toBe(failure);
      expect(joined(written).equals(joined(chunks))).toBe(true);
    }),
  );
});

test('a failed write stops the download and is reported; writes never overlap', async () => {
  let running = 0;
  let calls = 0;
  const write = async () => {
    expect(running).toBe(0);
    running++;
    await new Promise((r) => setTimeout(r, 1));
    running--;
    if (++calls === 2) throw new Error('disk full');
  };
  const chunks = Array.from({ length: 10 }, () => new Uint8Array(10));
  await expect(writeInBatches(from(chunks), 10, write)).rejects.toThrow('disk full');
  expect(calls).toBe(2);
});

test('a write that fails while the next piece is still arriving is not an unhandled rejection', async () => {
  // Node (outside jest) turns an unhandled rejection into a crash: run the compiled module there.
  const script = `
    import { writeInBatches } from ${JSON.stringify(join(process.cwd(), 'dist/src/pull/write-batches.js'))};
    async function* slow() {
      yield new Uint8Array(8);
      await new Promise((r) => setTimeout(r, 50)); // the first write fails meanwhile
      yield new Uint8Array(8);
    }
    await writeInBatches(slow(), 8, () => Promise.reject(new Error('disk full'))).catch((err) => console.log('rejected:', err.message));
  `;
  const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout, stderr) => resolve({ code: err ? (err.code as number) : 0, out: stdout + stderr }));
  });
  expect(result).toEqual({ code: 0, out: 'rejected: disk full\n' });
});
