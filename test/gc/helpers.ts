/** Shared helpers of the garbage-collection tests: in-process storage, blob writes, invariants. */
import { createHash } from 'node:crypto';
import { blobPath } from '../../src/content/local/paths.js';
import type { Info, StringMap } from '../../src/content/index.js';
import { ImagedError } from '../../src/errdefs/index.js';
import { createEventBus, type Envelope } from '../../src/events/index.js';
import { openStorage, type Storage } from '../../src/storage/index.js';

/** The sha256 digest of `bytes`. */
export const sha = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A collection schedule under which nothing runs unless a test calls `gc.collectNow()`. */
export const MANUAL_GC = { mutationThreshold: 1e9, delayMs: 1e9, startupDelayMs: 1e9, intervalMs: 0 } as const;

/** Storage under `root` with manual collections, plus every event published and every background report. */
export async function openManual(root: string): Promise<{ storage: Storage; events: Envelope[]; reports: unknown[] }> {
  const bus = createEventBus();
  const events: Envelope[] = [];
  const reports: unknown[] = [];
  bus.subscribe(() => true, (e) => events.push(e));
  const storage = await openStorage(root, bus, (r) => reports.push(r), MANUAL_GC);
  return { storage, events, reports };
}

/** The error kind a promise rejects with, or `ok`. */
export const kindOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (err: unknown) => (err instanceof ImagedError ? err.kind : `unexpected ${String(err)}`),
  );

let refs = 0;

/** What writing a blob did. */
export type WriteOutcome = 'committed' | 'exists';

/**
 * Writes `bytes` into `namespace` as a client does (Content.Write: open with the expected digest,
 * write, commit with labels), optionally under `lease`. AlreadyExists (at open or at commit) means
 * the namespace already sees the blob, which containerd's clients treat as success.
 */
export async function writeBlob(
  storage: Storage,
  namespace: string,
  bytes: Uint8Array,
  options: { labels?: StringMap; lease?: string; expected?: boolean } = {},
): Promise<WriteOutcome> {
  const digest = sha(bytes);
  const ref = `ref-${++refs}-${digest.slice(7, 19)}`;
  const expected = options.expected === false ? '' : digest;
  let writer;
  try {
    writer = await storage.metadata.content.writer(namespace, ref, {
      total: bytes.byteLength,
      expected,
      ...(options.lease === undefined ? {} : { lease: options.lease }),
    });
  } catch (err) {
    if (err instanceof ImagedError && err.kind === 'AlreadyExists') return 'exists';
    throw err;
  }
  try {
    await writer.write(bytes, 0);
    await writer.commit(bytes.byteLength, digest, options.labels ?? {});
    return 'committed';
  } catch (err) {
    if (err instanceof ImagedError && err.kind === 'AlreadyExists') return 'exists';
    throw err;
  } finally {
    await writer.close();
  }
}

/** The path of blob `digest` under the storage's content root. */
export const fileOf = (storage: Storage, digest: string): string => blobPath(storage.local.paths, digest);

/** The digests `namespace` sees. */
export const visible = (storage: Storage, namespace: string): string[] =>
  storage.metadata.content.list(namespace).map((info: Info) => info.digest);

/**
 * Problems with the store's consistency: content visible in a namespace whose file is missing or
 * has another size. Empty when consistent.
 */
export async function visibleWithoutFile(storage: Storage): Promise<string[]> {
  const problems: string[] = [];
  const table = storage.metadata.content.table;
  for (const namespace of [...table.namespaces()]) {
    for (const info of table.values(namespace)) {
      const size = await storage.local.blobSize(info.digest);
      if (size !== info.size) problems.push(`${namespace}: ${info.digest} is visible (${info.size} bytes) but its file has ${size ?? 'no'} bytes`);
    }
  }
  return problems;
}

/** Blob files no namespace sees. */
export async function orphanFiles(storage: Storage): Promise<string[]> {
  const seen = new Set<string>();
  const table = storage.metadata.content.table;
  for (const namespace of [...table.namespaces()]) for (const info of table.values(namespace)) seen.add(info.digest);
  return (await storage.local.listBlobs()).filter((d) => !seen.has(d)).sort();
}

/** The seeded PRNG and byte source shared with the reliability tests. */
export { seededRandom as prng, seededBytes } from '../support/seeded.js';
