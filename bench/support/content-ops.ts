/** Content API operations for the content benchmark: whole-blob ingest through Write, whole-blob Read. */
import { createHash, randomFillSync } from 'node:crypto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ServiceClient } from '../../src/client/index.js';
import { Content, WriteAction, type WriteContentRequestSchema } from '../../gen/services/content/v1/content_pb.js';

/** A typed Content client. */
export type ContentClient = ServiceClient<(typeof Content)['method']>;

/** Bytes and their digest. */
export interface Blob {
  /** The content. */
  readonly data: Uint8Array;
  /** Its `sha256:` digest. */
  readonly digest: string;
}

/** How one ingest is made. */
export interface IngestOptions {
  /** Write ref (a fresh one per ingest). */
  readonly ref: string;
  /** Call metadata (at least `containerd-namespace`). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Bytes per WRITE message. */
  readonly chunk: number;
}

/** Labels applied on COMMIT: a GC root, so neither server's collector removes unleased benchmark content. */
export const GC_ROOT_LABELS: Readonly<Record<string, string>> = { 'containerd.io/gc.root': 'imaged-bench' };

/** The `sha256:` digest of `parts` concatenated. */
export function sha256Digest(...parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return `sha256:${hash.digest('hex')}`;
}

/** A blob of `size` random bytes. */
export function randomBlob(size: number): Blob {
  const data = randomFillSync(Buffer.allocUnsafe(size));
  return { data, digest: sha256Digest(data) };
}

type WriteRequest = MessageInitShape<typeof WriteContentRequestSchema>;

/**
 * The Write stream for `blob`: STAT with ref/total/expected, WRITE messages of `chunk` bytes with
 * their offsets, COMMIT with total/expected and offset = total (containerd truncates the ingest on a
 * COMMIT at offset 0, as on a WRITE). Generated lazily, so the client's back-pressure
 * (it awaits `drain` before pulling the next message) paces it.
 */
async function* writeRequests(blob: Blob, options: IngestOptions): AsyncGenerator<WriteRequest> {
  const { ref, chunk } = options;
  const total = BigInt(blob.data.byteLength);
  yield { action: WriteAction.STAT, ref, total, expected: blob.digest };
  for (let offset = 0; offset < blob.data.byteLength; offset += chunk) {
    yield { action: WriteAction.WRITE, ref, offset: BigInt(offset), data: blob.data.subarray(offset, offset + chunk) };
  }
  yield { action: WriteAction.COMMIT, ref, total, offset: total, expected: blob.digest, labels: GC_ROOT_LABELS };
}

/** Ingests `blob` through Content.Write; resolves once the server acknowledged the COMMIT and ended the stream. */
export async function ingest(client: ContentClient, blob: Blob, options: IngestOptions): Promise<void> {
  let last: WriteAction | undefined;
  for await (const reply of client.write(writeRequests(blob, options), { metadata: options.metadata })) last = reply.action;
  if (last !== WriteAction.COMMIT) throw new Error(`Write of ${options.ref} ended without a COMMIT reply (last: ${String(last)})`);
}

/** Reads blob `digest` whole through Content.Read; returns its chunks, checked to be contiguous. */
export async function readBlob(
  client: ContentClient,
  digest: string,
  metadata: Readonly<Record<string, string>>,
): Promise<{ chunks: Uint8Array[]; size: number }> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const reply of client.read({ digest }, { metadata })) {
    if (reply.offset !== BigInt(size)) throw new Error(`Read of ${digest}: chunk at offset ${reply.offset}, expected ${size}`);
    chunks.push(reply.data);
    size += reply.data.byteLength;
  }
  return { chunks, size };
}
