/**
 * Physical limits of this machine, measured next to a benchmark: SHA-256 throughput of node:crypto
 * in memory, and sequential write (with fsync) and read of a file on the data directories' filesystem.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { statSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MiB, mbPerSecond, median, timed } from './throughput.js';

/** Bytes hashed, written and read by {@link measureLimits}. */
export const LIMIT_BYTES = 256 * MiB;
const IO_CHUNK = MiB;
const HASH_RUNS = 3;

/** Measured limits, in MB/s. */
export interface Limits {
  /** SHA-256 of {@link LIMIT_BYTES} in memory (median of 3). */
  readonly sha256: number;
  /** Sequential 1 MiB writes of {@link LIMIT_BYTES} to a new file, then fsync (open to fsync done). */
  readonly writeFsync: number;
  /** Sequential 1 MiB reads of that file right after writing it (served from the page cache). */
  readonly readCached: number;
  /** Whether the probe file shared the filesystem (st_dev) of every data directory. */
  readonly sameFilesystem: boolean;
}

/** Writes `data` to `path` in 1 MiB writes and fsyncs it. */
async function writeAndSync(path: string, data: Buffer): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (let offset = 0; offset < data.byteLength; offset += IO_CHUNK) {
      await file.write(data, offset, Math.min(IO_CHUNK, data.byteLength - offset), offset);
    }
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Reads `path` sequentially in 1 MiB reads into one reused buffer; resolves with the bytes read. */
async function readThrough(path: string): Promise<number> {
  const file = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(IO_CHUNK);
  let total = 0;
  try {
    for (let n = -1; n !== 0; total += n) n = (await file.read(buffer, 0, IO_CHUNK, total)).bytesRead;
  } finally {
    await file.close();
  }
  return total;
}

/** Measures the limits with a probe file in `dir` (removed afterwards), comparing its filesystem with `dataDirs`. */
export async function measureLimits(dir: string, dataDirs: readonly string[]): Promise<Limits> {
  const data = randomFillSync(Buffer.allocUnsafe(LIMIT_BYTES));
  const hashRuns: number[] = [];
  for (let run = 0; run < HASH_RUNS; run++) hashRuns.push((await timed(async () => createHash('sha256').update(data).digest())).ms);
  const path = join(dir, 'disk-probe');
  try {
    const write = await timed(() => writeAndSync(path, data));
    const read = await timed(() => readThrough(path));
    if (read.value !== LIMIT_BYTES) throw new Error(`read ${read.value} bytes of the ${LIMIT_BYTES}-byte probe file`);
    const dev = statSync(dir).dev;
    return {
      sha256: mbPerSecond(LIMIT_BYTES, median(hashRuns)),
      writeFsync: mbPerSecond(LIMIT_BYTES, write.ms),
      readCached: mbPerSecond(LIMIT_BYTES, read.ms),
      sameFilesystem: dataDirs.every((d) => statSync(d).dev === dev),
    };
  } finally {
    await rm(path, { force: true });
  }
}
