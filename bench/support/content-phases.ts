/**
 * The phases of the Content benchmark, run against one server with one client: 100 MiB ingest,
 * 100 MiB read, and List over 10,000 small blobs (loaded with 32 ingests in flight).
 */
import { createHash } from 'node:crypto';
import { fromBinary } from '@bufbuild/protobuf';
import { createServiceClient } from '../../src/client/index.js';
import { Content, ListContentRequestSchema, ListContentResponseSchema } from '../../gen/services/content/v1/content_pb.js';
import { ingest, randomBlob, readBlob, sha256Digest, type Blob, type ContentClient } from './content-ops.js';
import { rawServerStream } from './raw-stream.js';
import { measure, type LatencySummary } from './stats.js';
import { MiB, mbPerSecond, timed } from './throughput.js';

/** Size of the blob written and read. */
export const BLOB_BYTES = 100 * MiB;
/** Bytes per WRITE message. */
export const WRITE_CHUNK = MiB;
/** Timed runs of the big write and read. */
export const RUNS = 3;
/** Blobs listed. */
export const LIST_BLOBS = 10_000;
/** Size of each listed blob. */
export const SMALL_BLOB_BYTES = 64;
/** Ingests in flight while loading the listed blobs. */
export const LOAD_CONCURRENCY = 32;
/** Timed List calls. */
export const LIST_RUNS = 20;
const LIST_WARMUP = 3;
const WARMUP_BYTES = 8 * MiB;

/** What one server achieved. */
export interface ContentFigures {
  /** MB/s of each 100 MiB ingest. */
  readonly write: readonly number[];
  /** MB/s of each 100 MiB read. */
  readonly read: readonly number[];
  /** Latency and rate of the small-blob ingests that loaded the List namespace. */
  readonly smallIngest: LatencySummary;
  /** Latency of List over {@link LIST_BLOBS} blobs. */
  readonly list: LatencySummary;
}

type Metadata = Readonly<Record<string, string>>;

const namespace = (name: string): Metadata => ({ 'containerd-namespace': name });
const uniqueRef = (what: string): string => `imaged-bench-${what}-${process.hrtime.bigint()}`;

/** Ingests `blob` under a fresh ref. */
const put = (client: ContentClient, blob: Blob, metadata: Metadata, what: string) =>
  ingest(client, blob, { ref: uniqueRef(what), metadata, chunk: WRITE_CHUNK });

/** Throws unless the server stores `blob` with its full size. */
async function checkStored(client: ContentClient, blob: Blob, metadata: Metadata): Promise<void> {
  const { info } = await client.info({ digest: blob.digest }, { metadata });
  if (info?.size !== BigInt(blob.data.byteLength)) throw new Error(`${blob.digest} is stored with size ${info?.size}, not ${blob.data.byteLength}`);
}

/** Reads `blob` whole and checks its size and sha256 (hashed after the clock stops); resolves with the read's milliseconds. */
async function timedRead(client: ContentClient, blob: Blob, metadata: Metadata): Promise<number> {
  const { ms, value } = await timed(() => readBlob(client, blob.digest, metadata));
  const digest = sha256Digest(...value.chunks);
  if (value.size !== blob.data.byteLength || digest !== blob.digest) {
    throw new Error(`read of ${blob.digest} returned ${value.size} bytes with digest ${digest}`);
  }
  return ms;
}

/** One untimed ingest, read and delete, so both servers (and the client) run warm. */
async function warmUp(client: ContentClient): Promise<void> {
  const metadata = namespace('bench-warmup');
  const blob = randomBlob(WARMUP_BYTES);
  await put(client, blob, metadata, 'warmup');
  await timedRead(client, blob, metadata);
  await client.delete({ digest: blob.digest }, { metadata });
}

/** {@link RUNS} ingests of a fresh random 100 MiB blob (digest computed before the clock starts), each deleted after. */
async function writes(client: ContentClient): Promise<number[]> {
  const metadata = namespace('bench-write');
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const blob = randomBlob(BLOB_BYTES);
    const { ms } = await timed(() => put(client, blob, metadata, 'write'));
    await checkStored(client, blob, metadata);
    await client.delete({ digest: blob.digest }, { metadata });
    runs.push(mbPerSecond(BLOB_BYTES, ms));
  }
  return runs;
}

/** {@link RUNS} whole reads of one 100 MiB blob, deleted after. */
async function reads(client: ContentClient): Promise<number[]> {
  const metadata = namespace('bench-read');
  const blob = randomBlob(BLOB_BYTES);
  await put(client, blob, metadata, 'read');
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(mbPerSecond(BLOB_BYTES, await timedRead(client, blob, metadata)));
  await client.delete({ digest: blob.digest }, { metadata });
  return runs;
}

/** The distinct, deterministic 64-byte blob number `i`. */
function smallBlob(i: number): Blob {
  const data = createHash('sha512').update(`imaged-bench-${i}`).digest();
  return { data, digest: sha256Digest(data) };
}

/** Loads {@link LIST_BLOBS} small blobs, then times List as raw bytes; every answer's count is checked after the clock. */
async function lists(client: ContentClient, socket: string): Promise<Pick<ContentFigures, 'smallIngest' | 'list'>> {
  const metadata = namespace('bench-list');
  const blobs = Array.from({ length: LIST_BLOBS }, (_, i) => smallBlob(i));
  const smallIngest = await measure(LIST_BLOBS, LOAD_CONCURRENCY, (i) => put(client, blobs[i]!, metadata, `list-${i}`));
  const raw = rawServerStream<typeof ListContentRequestSchema>(socket);
  try {
    const answers: Buffer[][] = [];
    const list = async () => answers.push(await raw.call('/containerd.services.content.v1.Content/List', ListContentRequestSchema, {}, metadata));
    for (let i = 0; i < LIST_WARMUP; i++) await list();
    const summary = await measure(LIST_RUNS, 1, list);
    for (const answer of answers) {
      const count = answer.reduce((n, bytes) => n + fromBinary(ListContentResponseSchema, bytes).info.length, 0);
      if (count !== LIST_BLOBS) throw new Error(`List returned ${count} blobs, expected ${LIST_BLOBS}`);
    }
    return { smallIngest, list: summary };
  } finally {
    raw.close();
  }
}

/** Runs every phase against the server on `socket`. */
export async function runContentPhases(socket: string): Promise<ContentFigures> {
  const client = createServiceClient(Content, socket);
  try {
    await warmUp(client);
    const write = await writes(client);
    const read = await reads(client);
    return { write, read, ...(await lists(client, socket)) };
  } finally {
    client.close();
  }
}
