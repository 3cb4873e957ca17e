/**
 * The local content store: committed blobs under `blobs/<alg>/<hex>`, shared by every namespace,
 * and ingests under `ingest/`. It knows nothing of namespaces or labels (the metadata store does).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { notFound, outOfRange, unavailable } from '../../errdefs/index.js';
import type { ReaderAt } from '../provider.js';
import { IngestWriter, readIngestStatus, type IngestStatus, type WriterOptions } from './ingest-writer.js';
import { blobPath, contentPaths, ingestDir, type ContentPaths } from './paths.js';
import { RefLocks } from './ref-locks.js';

/** Largest chunk a read hands out, as containerd's Read does. */
export const READ_CHUNK = 1 << 20;

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';
const blobNotFound = (digest: string) => notFound(`content ${digest} not found`);

/** Blobs and ingests of one root. */
export class LocalContentStore {
  private readonly locks = new RefLocks();

  private constructor(readonly paths: ContentPaths) {}

  /** Opens (creating) the store in `root`. */
  static async open(root: string): Promise<LocalContentStore> {
    const paths = contentPaths(root);
    await mkdir(join(paths.blobs, 'sha256'), { recursive: true });
    await mkdir(paths.ingest, { recursive: true });
    return new LocalContentStore(paths);
  }

  /** Opens a writer on `ref` (resuming a partial ingest); Unavailable while another writer holds it. */
  writer(ref: string, options: WriterOptions = {}): Promise<IngestWriter> {
    return IngestWriter.open(this.paths, this.locks, ref, options);
  }

  /** The status of ingest `ref`; NotFound when there is none. */
  async ingestStatus(ref: string): Promise<IngestStatus> {
    const status = await readIngestStatus(ingestDir(this.paths, ref));
    if (status === undefined) throw notFound(`ingest ${ref} not found`);
    return status;
  }

  /** Every ingest on disk. */
  async listIngests(): Promise<IngestStatus[]> {
    const dirs = await readdir(this.paths.ingest);
    const statuses = await Promise.all(dirs.map((d) => readIngestStatus(join(this.paths.ingest, d))));
    return statuses.filter((s): s is IngestStatus => s !== undefined);
  }

  /** Removes ingest `ref`; NotFound when absent, Unavailable while a writer holds it. */
  async abort(ref: string): Promise<void> {
    await this.ingestStatus(ref);
    if (this.locks.isLocked(ref)) throw unavailable(`ingest ${ref} is being written; close its writer first`);
    await rm(ingestDir(this.paths, ref), { recursive: true, force: true });
  }

  /** The size of blob `digest`, or undefined when it is not stored. */
  async blobSize(digest: string): Promise<number | undefined> {
    try {
      return (await stat(blobPath(this.paths, digest))).size;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  /** Opens blob `digest` for random access; NotFound when absent. */
  async readerAt(digest: string): Promise<ReaderAt> {
    let handle;
    try {
      handle = await open(blobPath(this.paths, digest), 'r');
    } catch (err) {
      if (isMissing(err)) throw blobNotFound(digest);
      throw err;
    }
    const { size } = await handle.stat();
    const file = handle;
    return {
      size,
      async readAt(offset, length) {
        const want = Math.max(0, Math.min(length, size - offset));
        const buffer = Buffer.allocUnsafe(want);
        let done = 0;
        while (done < want) {
          const { bytesRead } = await file.read(buffer, done, want - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buffer.subarray(0, done);
      },
      close: () => file.close(),
    };
  }

  /**
   * Streams `size` bytes (to the end when `size` ≤ 0 or too large) of blob `digest` from `offset` in
   * chunks of at most {@link READ_CHUNK}; OutOfRange when `offset` is past the end. Each chunk is a
   * fresh buffer with `headroom` unused bytes in front of the data, so a caller can put a message
   * header there without copying the data.
   */
  async *read(digest: string, offset = 0, size = 0, headroom = 0): AsyncGenerator<{ offset: number; data: Buffer }> {
    const length = await this.blobSize(digest);
    if (length === undefined) throw blobNotFound(digest);
    if (offset < 0 || offset > length) throw outOfRange(`read of ${digest} at offset ${offset}: the blob has ${length} bytes`);
    const end = size <= 0 || offset + size > length ? length : offset + size;
    if (end === offset) return;
    const file = await open(blobPath(this.paths, digest), 'r');
    try {
      for (let at = offset; at < end; ) {
        const want = Math.min(READ_CHUNK, end - at);
        const buffer = Buffer.allocUnsafe(headroom + want);
        const { bytesRead } = await file.read(buffer, headroom, want, at);
        if (bytesRead === 0) throw outOfRange(`blob ${digest} ended at ${at} bytes, before the ${length} recorded`);
        yield { offset: at, data: buffer.subarray(headroom, headroom + bytesRead) };
        at += bytesRead;
      }
    } finally {
      await file.close();
    }
  }

  /** Deletes blob `digest` from disk (no error if already gone). */
  async deleteBlob(digest: string): Promise<void> {
    await rm(blobPath(this.paths, digest), { force: true });
  }

  /** Every committed blob's digest. */
  async listBlobs(): Promise<string[]> {
    const out: string[] = [];
    for (const algorithm of await readdir(this.paths.blobs)) {
      for (const hex of await readdir(join(this.paths.blobs, algorithm))) out.push(`${algorithm}:${hex}`);
    }
    return out;
  }

  /** Re-hashes blob `digest`; returns the digest its bytes actually have. NotFound when absent. */
  async actualDigest(digest: string): Promise<string> {
    const hash = createHash('sha256');
    try {
      for await (const chunk of createReadStream(blobPath(this.paths, digest), { highWaterMark: READ_CHUNK })) hash.update(chunk as Buffer);
    } catch (err) {
      if (isMissing(err)) throw blobNotFound(digest);
      throw err;
    }
    return `sha256:${hash.digest('hex')}`;
  }
}
