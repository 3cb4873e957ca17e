/**
 * The embedded metadata database: one LMDB environment with a table per record kind. Records are
 * keyed by namespace and name and mirrored in memory, so reads never touch the disk; every change
 * goes through {@link MetadataDb.update}, which commits atomically and only then updates the mirror.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { diskFullError, invalidArgument } from '../errdefs/index.js';

/** A table of records of type T, grouped by namespace. Reads come from the in-memory mirror. */
export interface Table<T> {
  /** The record `name` in `namespace`, if any. */
  get(namespace: string, name: string): T | undefined;
  /** Every record of `namespace`, ordered by name (cached until the namespace changes). */
  values(namespace: string): readonly T[];
  /** How many records `namespace` holds. */
  count(namespace: string): number;
  /** Namespaces that hold at least one record. */
  namespaces(): IterableIterator<string>;
}

/** The write side handed to an {@link MetadataDb.update} callback. */
export interface Tx {
  /** Reads the committed-or-pending value of a record. */
  get<T>(table: Table<T>, namespace: string, name: string): T | undefined;
  /** Stages a write; applied only if the callback returns normally. */
  put<T>(table: Table<T>, namespace: string, name: string, value: T): void;
  /** Stages a deletion; applied only if the callback returns normally. */
  remove<T>(table: Table<T>, namespace: string, name: string): void;
  /**
   * Every record of `table` as the database holds it inside this transaction (including writes of
   * transactions committed in the same batch, excluding this callback's own staged writes).
   */
  scan<T>(table: Table<T>): Iterable<{ namespace: string; name: string; value: T }>;
}

/** Records are keyed by the pair [namespace, name] (LMDB orders array keys element by element). */
type Key = [namespace: string, name: string];
const keyOf = (namespace: string, name: string): Key => [namespace, name];

/** Longest record name the database can key (LMDB's key limit, less room for the namespace). */
export const MAX_NAME_BYTES = 1800;

/** Reports whether a record named `name` fits LMDB's key limit (no longer name can have a record). */
const storable = (name: string): boolean => Buffer.byteLength(name) <= MAX_NAME_BYTES;

/** Checks that `name` can be stored; InvalidArgument naming the limit otherwise. */
function checkName(name: string): void {
  if (!storable(name)) {
    const bytes = Buffer.byteLength(name);
    throw invalidArgument(`name ${JSON.stringify(`${name.slice(0, 40)}…`)} is ${bytes} bytes long; at most ${MAX_NAME_BYTES} bytes can be stored`);
  }
}

/** Every entry of `store`, split into namespace and name. */
function* scanStore<T>(store: Database<T, Key>): Iterable<{ namespace: string; name: string; value: T }> {
  for (const { key, value } of store.getRange()) {
    if (!Array.isArray(key) || key.length !== 2) continue; // LMDB's own entries (shared structures)
    yield { namespace: key[0], name: key[1], value };
  }
}

class MirroredTable<T> implements Table<T> {
  readonly byNamespace = new Map<string, Map<string, T>>();
  private readonly ordered = new Map<string, readonly T[]>();

  constructor(readonly store: Database<T, Key>) {
    for (const { namespace, name, value } of scanStore(store)) this.set(namespace, name, value);
  }

  get(namespace: string, name: string): T | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  values(namespace: string): readonly T[] {
    let ordered = this.ordered.get(namespace);
    if (ordered === undefined) {
      const records = [...(this.byNamespace.get(namespace) ?? [])];
      records.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      ordered = records.map(([, value]) => value);
      this.ordered.set(namespace, ordered);
    }
    return ordered;
  }

  count(namespace: string): number {
    return this.byNamespace.get(namespace)?.size ?? 0;
  }

  namespaces(): IterableIterator<string> {
    return this.byNamespace.keys();
  }

  set(namespace: string, name: string, value: T | undefined): void {
    this.ordered.delete(namespace);
    let records = this.byNamespace.get(namespace);
    if (value === undefined) {
      records?.delete(name);
      if (records?.size === 0) this.byNamespace.delete(namespace);
      return;
    }
    if (records === undefined) this.byNamespace.set(namespace, (records = new Map()));
    records.set(name, value);
  }
}

/** Marks a promise LMDB hands back as handled: a failed commit is reported through the transaction itself. */
const quiet = (result: unknown): void => {
  if (result instanceof Promise) result.catch(() => undefined);
};

/**
 * Reports whether `err` is LMDB's "Commit failed" rejection. LMDB also rejects promises of its own
 * bookkeeping writes (shared record structures) that nobody awaits when a commit fails.
 */
export const isCommitFailure = (err: unknown): boolean => (err as { commitError?: unknown } | undefined)?.commitError instanceof Promise;

/**
 * The error to report for a failed LMDB transaction: LMDB rejects with a generic "Commit failed"
 * whose `commitError` promise holds the cause; a full disk becomes ResourceExhausted naming `path`.
 */
async function commitFailure(err: unknown, path: string): Promise<unknown> {
  const pending = (err as { commitError?: unknown } | undefined)?.commitError;
  const cause = pending instanceof Promise ? await pending.then(() => err, (e: unknown) => e) : err;
  const converted = diskFullError(cause, 'writing metadata', path);
  return converted === cause ? err : converted;
}

interface StagedWrite {
  readonly table: MirroredTable<unknown>;
  readonly namespace: string;
  readonly name: string;
  readonly value: unknown;
}

/** The metadata database of one imaged root. */
export class MetadataDb {
  private readonly root: RootDatabase;
  private readonly tables = new Map<string, MirroredTable<unknown>>();

  private constructor(private readonly path: string) {
    mkdirSync(path, { recursive: true });
    this.root = open({ path, maxDbs: 32, compression: false });
  }

  /** Opens (creating if needed) the database under `rootDir/metadata`. */
  static open(rootDir: string): MetadataDb {
    return new MetadataDb(join(rootDir, 'metadata'));
  }

  /** Opens the table `name`, loading its records into memory. */
  table<T>(name: string): Table<T> {
    let table = this.tables.get(name);
    if (table === undefined) {
      // Shared msgpack structures make records small and decoding at start ~3× faster.
      table = new MirroredTable<unknown>(
        this.root.openDB<unknown, Key>({ name, sharedStructuresKey: Symbol.for('structures') }),
      );
      this.tables.set(name, table);
    }
    return table as Table<T>;
  }

  /**
   * Runs `change` inside one write transaction. The callback reads with `tx.get` and stages writes;
   * if it throws, nothing is written. Writes become visible to readers only after the commit is durable.
   */
  async update<R>(change: (tx: Tx) => R): Promise<R> {
    const staged: StagedWrite[] = [];
    const pending = (table: MirroredTable<unknown>, namespace: string, name: string): StagedWrite | undefined =>
      staged.findLast((w) => w.table === table && w.namespace === namespace && w.name === name);
    const tx: Tx = {
      get: <T>(table: Table<T>, namespace: string, name: string): T | undefined => {
        const mirrored = table as MirroredTable<T>;
        const write = pending(mirrored as MirroredTable<unknown>, namespace, name);
        if (write !== undefined) return write.value as T | undefined;
        // LMDB cannot even look up an over-long key; no record has one.
        return storable(name) ? mirrored.store.get(keyOf(namespace, name)) : undefined;
      },
      put: (table, namespace, name, value) => {
        checkName(name);
        staged.push({ table: table as MirroredTable<unknown>, namespace, name, value });
      },
      remove: (table, namespace, name) => {
        if (!storable(name)) return;
        staged.push({ table: table as MirroredTable<unknown>, namespace, name, value: undefined });
      },
      scan: <T>(table: Table<T>) => scanStore((table as MirroredTable<T>).store),
    };
    let result: R;
    try {
      result = await this.root.transaction(() => {
        const value = change(tx);
        for (const w of staged) {
          const key = keyOf(w.namespace, w.name);
          // Inside a transaction callback LMDB applies these synchronously to the open write transaction.
          quiet(w.value === undefined ? w.table.store.remove(key) : w.table.store.put(key, w.value));
        }
        return value;
      });
    } catch (err) {
      throw await commitFailure(err, this.path);
    }
    for (const w of staged) w.table.set(w.namespace, w.name, w.value);
    return result;
  }

  /** Flushes and closes the environment. */
  async close(): Promise<void> {
    await this.root.close();
  }
}
