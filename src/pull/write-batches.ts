/**
 * Writing a download in large pieces: network chunks are small (tens of KiB), and each file write
 * is a round trip through libuv's thread pool, so a blob is written a MiB or so at a time, with the
 * next piece collected while the previous one is being written.
 */

/** Joins `chunks` into pieces of at least `bytes` (the last may be shorter). */
export async function* batches(chunks: AsyncIterable<Uint8Array>, bytes: number): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let size = 0;
  const take = (): Uint8Array => {
    const piece = pending.length === 1 ? pending[0]! : Buffer.concat(pending, size);
    pending = [];
    size = 0;
    return piece;
  };
  try {
    for await (const chunk of chunks) {
      pending.push(chunk);
      size += chunk.byteLength;
      if (size >= bytes) yield take();
    }
  } catch (err) {
    // What arrived before the failure is still written, so a resumed download starts after it.
    if (size > 0) yield take();
    throw err;
  }
  if (size > 0) yield take();
}

/**
 * Writes `chunks` with `write` in pieces of about `bytes`, one write at a time, collecting the next
 * piece while the current one is written. Resolves once everything is written.
 */
export async function writeInBatches(chunks: AsyncIterable<Uint8Array>, bytes: number, write: (piece: Uint8Array) => Promise<void>): Promise<void> {
  let writing: Promise<void> = Promise.resolve();
  try {
    for await (const piece of batches(chunks, bytes)) {
      await writing;
      writing = write(piece);
      // A failed write is awaited on the next turn or below; until then it must not count as unhandled.
      writing.catch(() => undefined);
    }
  } catch (err) {
    // The download's failure is the one to report; the pieces before it are written first.
    await writing.catch(() => undefined);
    throw err;
  }
  await writing;
}
