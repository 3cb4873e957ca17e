/**
 * Content per namespace: which committed blobs a namespace sees, with their labels and times, and
 * which ingests it owns. Blobs themselves are shared on disk by the local content store; a blob that
 * already exists is made visible to another namespace without being written again.
 */
import { nowNanos } from '../clock/index.js';
import type { Info, Provider, ReaderAt, StringMap } from '../content/index.js';
import type { IngestStatus, IngestWriter, LocalContentStore } from '../content/local/index.js';
import { parseDigest, verifyBytes } from '../digest/index.js';
import { alreadyExists, ImagedError, invalidArgument, isKind, notFound } from '../errdefs/index.js';
import type { EventPublisher } from '../events/index.js';
import { validateLabels } from '../identifiers/index.js';
import { withoutEmptyValues } from '../images/index.js';
import type { SharedExclusiveLock } from '../sync/index.js';
import type { MetadataDb, Table, Tx } from './db.js';
import type { LeaseStore } from './leases.js';
import type { NamespaceStore } from './namespaces.js';

/** An ingest a namespace owns. */
interface IngestRecord {
  /** The ref the client chose. */
  readonly ref: string;
}

/** Options of a write. */
export interface ContentWriteOptions {
  /** Expected total size (0 = unknown). */
  readonly total?: number;
  /** Expected digest. */
  readonly expected?: string;
  /** Lease the ingest and the committed blob are added to. */
  readonly lease?: string;
}

/** The status of an ingest as its namespace sees it. */
export type ContentStatus = IngestStatus;

const contentNotFound = (digest: string) => notFound(`content ${digest} not found`);
/** The ingest ref on disk: refs are per namespace, so two namespaces may use the same ref. */
const physicalRef = (namespace: string, ref: string) => `${namespace}/${ref}`;

/** Applies a content update mask: `labels` replaces all labels, `labels.<k>` sets or removes one. */
function maskedLabels(current: Info, incoming: StringMap, paths: readonly string[]): StringMap {
  if (paths.length === 0) return incoming;
  let labels: Record<string, string> = { ...current.labels };
  for (const path of paths) {
    if (path === 'labels') labels = { ...incoming };
    else if (path.startsWith('labels.')) labels[path.slice('labels.'.length)] = incoming[path.slice('labels.'.length)] ?? '';
    else throw invalidArgument(`cannot update ${JSON.stringify(path)} field on content info ${current.digest}: only labels and labels.<key> can change`);
  }
  return labels;
}

/** A writer bound to a namespace. */
export interface ContentWriter {
  /** The ingest's state, with the client's ref. */
  status(): ContentStatus;
  /** The digest of what was written so far. */
  digest(): string;
  /** Writes at `offset` (see IngestWriter.write). */
  write(data: Uint8Array, offset?: number): Promise<void>;
  /** Discards what was written. */
  truncate(): Promise<void>;
  /** Verifies, stores and makes the blob visible with `labels`; AlreadyExists if the namespace has it. */
  commit(size: number, expected: string, labels: StringMap): Promise<Info>;
  /** Closes, keeping the ingest for a later resume. */
  close(): Promise<void>;
}

/** Namespaced content over the local store. */
export class ContentStore {
  /** Visible blobs per namespace. */
  readonly table: Table<Info>;
  private readonly ingests: Table<IngestRecord>;

  /** Wires the store; `gcLock` is held shared from a blob's rename until it is recorded. */
  constructor(
    private readonly db: MetadataDb,
    readonly local: LocalContentStore,
    private readonly namespaces: NamespaceStore,
    private readonly leases: LeaseStore,
    private readonly events: EventPublisher,
    private readonly gcLock: SharedExclusiveLock,
    private readonly onDelete: () => void,
  ) {
    this.table = db.table<Info>('content');
    this.ingests = db.table<IngestRecord>('ingests');
  }

  /** The blob's info in `namespace`; NotFound when the namespace does not see it. */
  info(namespace: string, digest: string): Info {
    parseDigest(digest);
    const info = this.table.get(namespace, digest);
    if (info === undefined) throw contentNotFound(digest);
    return info;
  }

  /** The blobs `namespace` sees (that `matches`), by digest. */
  list(namespace: string, matches?: (info: Info) => boolean): readonly Info[] {
    const all = this.table.values(namespace);
    return matches === undefined ? all : all.filter(matches);
  }

  /** Changes labels (digest, size and times are not client-settable). */
  async update(namespace: string, digest: string, labels: StringMap, paths: readonly string[]): Promise<Info> {
    parseDigest(digest);
    return this.db.update((tx) => {
      const current = tx.get(this.table, namespace, digest);
      if (current === undefined) throw contentNotFound(digest);
      const next = withoutEmptyValues(maskedLabels(current, labels, paths));
      validateLabels(next);
      const info: Info = { ...current, labels: next, updatedAt: nowNanos() };
      tx.put(this.table, namespace, digest, info);
      return info;
    });
  }

  /** Removes the blob from `namespace`; the bytes go when garbage collection finds no other user. */
  async delete(namespace: string, digest: string): Promise<void> {
    parseDigest(digest);
    await this.db.update((tx) => {
      if (tx.get(this.table, namespace, digest) === undefined) throw contentNotFound(digest);
      tx.remove(this.table, namespace, digest);
    });
    this.events.publish(namespace, '/content/delete', { typeName: 'containerd.events.ContentDelete', fields: { digest } });
    this.onDelete();
  }

  /** Reads blob `digest` if `namespace` sees it (see LocalContentStore.read). */
  read(namespace: string, digest: string, offset: number, size: number, headroom = 0) {
    this.info(namespace, digest);
    return this.local.read(digest, offset, size, headroom);
  }

  /** A Provider that reads what `namespace` sees. */
  provider(namespace: string): Provider {
    return {
      info: async (digest) => this.info(namespace, digest),
      readerAt: async (digest): Promise<ReaderAt> => {
        this.info(namespace, digest);
        return this.local.readerAt(digest);
      },
      readBlob: async (descriptor, maxBytes) => {
        const info = this.info(namespace, descriptor.digest);
        if (info.size > maxBytes) {
          throw new ImagedError('ResourceExhausted', `blob ${descriptor.digest} is ${info.size} bytes, more than the ${maxBytes} allowed here`);
        }
        const reader = await this.local.readerAt(descriptor.digest);
        try {
          const bytes = await reader.readAt(0, reader.size);
          verifyBytes(bytes, descriptor);
          return bytes;
        } finally {
          await reader.close();
        }
      },
    };
  }

  /** The status of `namespace`'s ingest `ref`; NotFound when it has none. */
  async status(namespace: string, ref: string): Promise<ContentStatus> {
    if (this.ingests.get(namespace, ref) === undefined) throw notFound(`ingest ${ref} not found`);
    return { ...(await this.local.ingestStatus(physicalRef(namespace, ref))), ref };
  }

  /** The ingests of `namespace` (that `matches`). */
  async listStatuses(namespace: string, matches?: (status: ContentStatus) => boolean): Promise<ContentStatus[]> {
    const statuses: ContentStatus[] = [];
    for (const { ref } of this.ingests.values(namespace)) {
      const status = await this.status(namespace, ref).catch((err: unknown) => {
        if (isKind(err, 'NotFound')) return undefined;
        throw err;
      });
      if (status !== undefined && (matches === undefined || matches(status))) statuses.push(status);
    }
    return statuses;
  }

  /** Removes `namespace`'s ingest `ref`; NotFound when absent. */
  async abort(namespace: string, ref: string): Promise<void> {
    if (this.ingests.get(namespace, ref) === undefined) throw notFound(`ingest ${ref} not found`);
    await this.local.abort(physicalRef(namespace, ref)).catch((err: unknown) => {
      if (!isKind(err, 'NotFound')) throw err;
    });
    await this.db.update((tx) => tx.remove(this.ingests, namespace, ref));
  }

  /**
   * Opens a writer for `ref` in `namespace`. When `expected` names a blob the namespace already has,
   * AlreadyExists; when the blob exists on disk for another namespace, it is made visible here
   * (and added to the lease) without a write, and AlreadyExists tells the client it is done.
   */
  async writer(namespace: string, ref: string, options: ContentWriteOptions = {}): Promise<ContentWriter> {
    if (ref === '') throw invalidArgument('ref must not be empty');
    const { expected = '', total = 0, lease } = options;
    if (expected !== '') {
      parseDigest(expected);
      // Checked in the same transaction that adds the blob to the caller's lease (as containerd
      // does), so a collection cannot remove it in between: AlreadyExists means held.
      const held = await this.db.update((tx) => {
        if (tx.get(this.table, namespace, expected) === undefined) return false;
        if (lease !== undefined) this.leases.attach(tx, namespace, lease, { id: expected, type: 'content' });
        return true;
      });
      if (held) throw alreadyExists(`content ${expected} already exists`);
      // Under the GC lock so the blob cannot be collected between finding it and recording it here.
      const shared = await this.gcLock.withShared(async () => {
        const size = await this.local.blobSize(expected);
        if (size === undefined || (total !== 0 && total !== size)) return false;
        await this.record(namespace, { digest: expected, size }, {}, lease);
        return true;
      });
      if (shared) throw alreadyExists(`content ${expected} already exists`);
    }
    const writer = await this.local.writer(physicalRef(namespace, ref), { total, expected });
    try {
      await this.db.update((tx) => {
        this.namespaces.ensure(tx, namespace);
        if (tx.get(this.ingests, namespace, ref) === undefined) tx.put(this.ingests, namespace, ref, { ref });
        if (lease !== undefined) this.leases.attach(tx, namespace, lease, { id: ref, type: 'ingests' });
      });
    } catch (err) {
      await writer.close();
      throw err;
    }
    return this.bind(namespace, ref, writer, lease);
  }

  private bind(namespace: string, ref: string, writer: IngestWriter, lease: string | undefined): ContentWriter {
    return {
      status: () => ({ ...writer.status(), ref }),
      digest: () => writer.digest(),
      write: (data, offset) => writer.write(data, offset),
      truncate: () => writer.truncate(),
      close: () => writer.close(),
      commit: async (size, expected, labels) => {
        validateLabels(labels);
        return this.gcLock.withShared(async () => {
          let committed: { digest: string; size: number };
          try {
            committed = await writer.commit(size, expected);
          } catch (err) {
            if (!isKind(err, 'AlreadyExists')) throw err;
            // The bytes are on disk already (another namespace, or an earlier attempt): record them here.
            const digest = writer.digest();
            committed = { digest, size: writer.status().offset };
          }
          const info = await this.record(namespace, committed, labels, lease, ref);
          this.events.publish(namespace, '/content/create', {
            typeName: 'containerd.events.ContentCreate',
            fields: { digest: info.digest, size: String(info.size) },
          });
          return info;
        });
      },
    };
  }

  /** Makes a stored blob visible in `namespace`; AlreadyExists if it was visible already. */
  private async record(
    namespace: string,
    blob: { digest: string; size: number },
    labels: StringMap,
    lease: string | undefined,
    ingestRef?: string,
  ): Promise<Info> {
    const now = nowNanos();
    const info: Info = { digest: blob.digest, size: blob.size, createdAt: now, updatedAt: now, labels: withoutEmptyValues(labels) };
    const recorded = await this.db.update((tx: Tx) => {
      if (ingestRef !== undefined) tx.remove(this.ingests, namespace, ingestRef);
      // The writer's lease holds the blob whether or not this write is the one that stored it.
      if (lease !== undefined) this.leases.attach(tx, namespace, lease, { id: blob.digest, type: 'content' });
      if (tx.get(this.table, namespace, blob.digest) !== undefined) return false;
      this.namespaces.ensure(tx, namespace);
      tx.put(this.table, namespace, blob.digest, info);
      return true;
    });
    if (!recorded) throw alreadyExists(`content ${blob.digest} already exists`);
    return info;
  }
}
