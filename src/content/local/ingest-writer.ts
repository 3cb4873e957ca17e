/**
 * One in-progress write (an ingest): data appended under `ingest/<sha256(ref)>/`, hashed as it
 * arrives, and committed by verifying size and digest, fsyncing and renaming into `blobs/`.
 * An ingest survives disconnects and restarts: reopening it rebuilds the hash from the data so far.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Nanos } from '../../clock/index.js';
import { nowNanos } from '../../clock/index.js';
import { alreadyExists, diskFullError, failedPrecondition, invalidArgument, outOfRange } from '../../errdefs/index.js';
import { fsyncPath } from './fsync.js';
import { blobPath, ingestDir, type ContentPaths } from './paths.js';
import type { RefLocks } from './ref-locks.js';

/** The state of an ingest. */
export interface IngestStatus {
  /** The ref it was opened with. */
  readonly ref: string;
  /** Bytes written so far. */
  readonly offset: number;
  /** Expected total size (0 when unknown). */
  readonly total: number;
  /** Expected digest, if the writer named one. */
  readonly expected: string;
  /** When the ingest was started. */
  readonly startedAt: Nanos;
  /** When data last arrived. */
  readonly updatedAt: Nanos;
}

/** Options for opening a writer. */
export interface WriterOptions {
  /** Expected total size; 0 or absent when unknown. */
  readonly total?: number;
  /** Expected digest; checked at commit. */
  readonly expected?: string;
}

const nanosOfMs = (ms: number): Nanos => BigInt(Math.round(ms * 1000)) * 1000n;

/** The ingest's own settings as `meta.json` holds them. */
interface IngestMeta {
  readonly total: number;
  readonly expected: string;
  readonly startedAt: string;
}

/**
 * Parses `meta.json`; undefined when it is torn (written by a version that was killed mid-write).
 * The settings are then unknown, and the next writer to open the ingest states them again.
 */
function parseMeta(text: string): IngestMeta | undefined {
  try {
    const meta = JSON.parse(text) as Partial<IngestMeta>;
    return typeof meta.total === 'number' && typeof meta.expected === 'string' && typeof meta.startedAt === 'string' ? (meta as IngestMeta) : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces `path` with `text` atomically (a kill leaves the old file or the new one, never a torn one). */
async function writeFileAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

/** Reads the status of the ingest in `dir`, or undefined if there is none. */
export async function readIngestStatus(dir: string): Promise<IngestStatus | undefined> {
  try {
    const [ref, meta, data] = await Promise.all([
      readFile(join(dir, 'ref'), 'utf8'),
      readFile(join(dir, 'meta.json'), 'utf8'),
      stat(join(dir, 'data')),
    ]);
    const updatedAt = nanosOfMs(data.mtimeMs);
    const { total, expected, startedAt } = parseMeta(meta) ?? { total: 0, expected: '', startedAt: String(updatedAt) };
    return { ref, offset: data.size, total, expected, startedAt: BigInt(startedAt), updatedAt };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Hashes the first `length` bytes of `path`. */
async function hashPrefix(path: string, length: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (length === 0) return hash;
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1, highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash;
}

/** An open writer holding the lock on its ref. */
export class IngestWriter {
  private closed = false;

  private constructor(
    private readonly paths: ContentPaths,
    private readonly dir: string,
    private readonly file: FileHandle,
    private hash: Hash,
    private state: IngestStatus,
    private readonly release: () => void,
  ) {}

  /** Opens (creating or resuming) the ingest `ref`; Unavailable when another writer holds it. */
  static async open(paths: ContentPaths, locks: RefLocks, ref: string, options: WriterOptions = {}): Promise<IngestWriter> {
    if (ref === '') throw invalidArgument('ref must not be empty');
    const release = locks.acquire(ref);
    try {
      const dir = ingestDir(paths, ref);
      let state = await readIngestStatus(dir);
      const total = options.total ?? 0;
      const expected = options.expected ?? '';
      if (state === undefined) {
        await mkdir(dir, { recursive: true });
        const startedAt = nowNanos();
        await writeFileAtomic(join(dir, 'ref'), ref);
        await writeFile(join(dir, 'data'), '');
        state = { ref, offset: 0, total, expected, startedAt, updatedAt: startedAt };
      } else {
        state = { ...state, total: total || state.total, expected: expected || state.expected };
      }
      await writeFileAtomic(join(dir, 'meta.json'), JSON.stringify({ total: state.total, expected: state.expected, startedAt: String(state.startedAt) }));
      const file = await open(join(dir, 'data'), 'r+');
      const hash = await hashPrefix(join(dir, 'data'), state.offset);
      return new IngestWriter(paths, dir, file, hash, state, release);
    } catch (err) {
      release();
      throw diskFullError(err, `opening ingest ${JSON.stringify(ref)}`, paths.root);
    }
  }

  /** The current state. */
  status(): IngestStatus {
    return this.state;
  }

  /** The digest of the bytes written so far. */
  digest(): string {
    return `sha256:${this.hash.copy().digest('hex')}`;
  }

  /**
   * Writes `data` at `offset`: it must equal the bytes written so far (OutOfRange otherwise), except
   * that offset 0 on a partial ingest starts it over.
   */
  async write(data: Uint8Array, offset: number = this.state.offset): Promise<void> {
    this.checkOpen();
    if (offset === 0 && this.state.offset > 0) await this.truncate();
    if (offset !== this.state.offset) {
      throw outOfRange(`write at offset ${offset} on ref ${this.state.ref}, but ${this.state.offset} bytes are written: resume from ${this.state.offset}`);
    }
    if (data.byteLength === 0) return;
    await this.writeAll(data, offset);
    this.hash.update(data);
    this.state = { ...this.state, offset: offset + data.byteLength, updatedAt: nowNanos() };
  }

  /**
   * Writes all of `data` at `offset`, looping over short writes (a nearly full disk takes part of a
   * buffer). On failure the file is cut back to `offset`, so it never holds bytes the state does not count.
   */
  private async writeAll(data: Uint8Array, offset: number): Promise<void> {
    try {
      for (let done = 0; done < data.byteLength; ) {
        const { bytesWritten } = await this.file.write(data, done, data.byteLength - done, offset + done);
        done += bytesWritten;
      }
    } catch (err) {
      await this.file.truncate(offset).catch(() => undefined);
      throw diskFullError(err, `writing ${data.byteLength} bytes at offset ${offset} of ingest ${JSON.stringify(this.state.ref)}`, this.paths.root);
    }
  }

  /** Discards everything written so far. */
  async truncate(): Promise<void> {
    this.checkOpen();
    await this.file.truncate(0);
    this.hash = createHash('sha256');
    this.state = { ...this.state, offset: 0, updatedAt: nowNanos() };
  }

  /**
   * Verifies size (when `size` > 0) and digest (when `expected` is set, or the one given at open),
   * makes the data durable and moves it into the blob store. FailedPrecondition on a mismatch (the
   * ingest stays for a retry); AlreadyExists when the blob is already stored (the ingest is removed).
   */
  async commit(size: number, expected = ''): Promise<{ digest: string; size: number }> {
    this.checkOpen();
    const { offset, ref } = this.state;
    const want = expected || this.state.expected;
    if (size > 0 && size !== offset) {
      throw failedPrecondition(`commit of ref ${ref}: ${offset} bytes written, but the expected size is ${size}`);
    }
    const digest = this.digest();
    if (want !== '' && want !== digest) {
      throw failedPrecondition(`commit of ref ${ref}: the data has digest ${digest}, but ${want} was expected`);
    }
    const target = blobPath(this.paths, digest);
    try {
      await this.file.sync();
    } catch (err) {
      throw diskFullError(err, `committing ${digest} (ingest ${JSON.stringify(ref)})`, this.paths.root);
    }
    await this.file.close();
    this.closed = true;
    try {
      if (await stat(target).then(() => true, () => false)) {
        await rm(this.dir, { recursive: true, force: true });
        throw alreadyExists(`content ${digest} already exists`);
      }
      await mkdir(dirname(target), { recursive: true });
      await chmod(join(this.dir, 'data'), 0o444);
      await rename(join(this.dir, 'data'), target);
      await fsyncPath(dirname(target));
      await rm(this.dir, { recursive: true, force: true });
    } finally {
      this.release();
    }
    return { digest, size: offset };
  }

  /** Closes the writer, keeping the ingest so it can be resumed. */
  async close(): Promise<void> {
    if (!this.closed) await this.finish();
  }

  /** Closes the writer and removes the ingest. */
  async abort(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async finish(): Promise<void> {
    this.closed = true;
    try {
      await this.file.close();
    } finally {
      this.release();
    }
  }

  private checkOpen(): void {
    if (this.closed) throw failedPrecondition(`writer for ref ${this.state.ref} is closed`);
  }
}
