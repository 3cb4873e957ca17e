/**
 * The body of a blob download as an async iterable of chunks that checks what it yields: never more
 * than the descriptor's size, a clear Unavailable (with the offset to resume from) when the body
 * ends early, and, for downloads from offset 0 unless the caller verifies it, the digest at the end.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { digestAlgorithm, type Digest } from '../digest/index.js';
import { failedPrecondition, ImagedError } from '../errdefs/index.js';
import { connectionError } from './transport-errors.js';

/** A blob download in progress. */
export interface BlobStream extends AsyncIterable<Uint8Array> {
  /** Where in the blob the chunks start. */
  readonly offset: number;
  /** How many bytes will follow (`size - offset`). */
  readonly length: number;
  /** Abandons the download and releases its connection. */
  close(): void;
}

/** Where the bytes come from and what they must be. */
export interface BlobSource {
  /** The response body (decoded). */
  readonly body: Readable;
  /** The URL that serves it (for messages). */
  readonly url: URL;
  /** The blob's digest. */
  readonly digest: Digest;
  /** The blob's size. */
  readonly size: number;
  /** The offset the caller asked for. */
  readonly offset: number;
  /** Leading bytes to drop (a server that ignored the Range header sends the blob from 0). */
  readonly skip: number;
  /** Longest wait for the next chunk before failing with DeadlineExceeded; 0 waits forever. */
  readonly stallTimeoutMs: number;
  /** Whether to check the digest (downloads from offset 0 only). */
  readonly verifyDigest: boolean;
}

/** Wraps a response body as a checked {@link BlobStream}. */
export function blobStream(src: BlobSource): BlobStream {
  const { body, url, digest, size, offset } = src;
  const expected = size - offset;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const hash = offset === 0 && src.verifyDigest ? createHash(digestAlgorithm(digest)) : undefined;
    const it = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let skip = src.skip;
    let received = 0;
    try {
      for (;;) {
        const timer =
          src.stallTimeoutMs > 0
            ? setTimeout(
                () => body.destroy(new ImagedError('DeadlineExceeded', `${url.host} sent no data for blob ${digest} for ${src.stallTimeoutMs / 1000} s`)),
                src.stallTimeoutMs,
              )
            : undefined;
        let next: IteratorResult<Buffer>;
        try {
          next = await it.next();
        } catch (err) {
          throw err instanceof ImagedError ? err : connectionError(err as Error, url);
        } finally {
          clearTimeout(timer);
        }
        if (next.done === true) break;
        let chunk = next.value;
        if (skip > 0) {
          if (chunk.length <= skip) {
            skip -= chunk.length;
            continue;
          }
          chunk = chunk.subarray(skip);
          skip = 0;
        }
        received += chunk.length;
        if (received > expected) {
          throw failedPrecondition(`blob ${digest} from ${url.host} is longer than the ${size} bytes its descriptor says`);
        }
        hash?.update(chunk);
        yield chunk;
      }
      if (received < expected) {
        throw new ImagedError(
          'Unavailable',
          `download of blob ${digest} from ${url.host} ended after ${offset + received} of ${size} bytes; fetch again from offset ${offset + received} to resume`,
        );
      }
      if (hash !== undefined) {
        const got = `${digestAlgorithm(digest)}:${hash.digest('hex')}`;
        if (got !== digest) throw failedPrecondition(`blob from ${url.host} does not match its digest: expected ${digest}, got ${got}`);
      }
    } finally {
      if (!body.readableEnded) body.destroy();
    }
  }
  const gen = chunks();
  return {
    offset,
    length: expected,
    [Symbol.asyncIterator]: () => gen,
    close() {
      body.destroy();
      void gen.return(undefined);
    },
  };
}
