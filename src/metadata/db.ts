/**
 * The embedded metadata database: one LMDB environment with a table per record kind. Records are
 * keyed by namespace and name and mirrored in memory, so reads never touch the disk; every change
 * goes through {@link MetadataDb.update}, which commits atomically and only then updates the mirror.
 */
import { mkdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { diskFull, diskFullError, invalidArgument } from '../errdefs/index.js';
import { TimeSlice } from '../sync/index.js';

/**
 * A table of records of type T, grouped by namespace. Reads come from the in-memory mirror, which is
 * loaded from the database on first use (so a start only pays for the tables it reads).
 */
export interface Table<T> {
  /** The record `name` in `namespace`, if any. */
  get(namespace: string, name: string): T | undefined;
  /** Every record of `namespace`, ordered by name (cached until the namespace changes). */
  values(namespace: string): readonly T[];
  /** How many records `namespace` holds. */
  count(namespace: string): number;
  /** Namespaces that hold at least one record. */
  namespaces(): IterableIterator<string>;
  /**
   * Loads the mirror a slice at a time, letting I/O run between slices (a read before it finishes
   * loads the rest at once); resolves when it is loaded.
   */
  preload(): Promise<void>;
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

/** The table of generation counters, keyed by table name and namespace. */
const GENERATIONS_TABLE = 'generations';

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

/** Every entry of `store` (from `start`, when given), split into namespace and name. */
function* scanStore<T>(
  store: Database<T, Key>,
  range: { start?: Key } = {},
): Iterable<{ namespace: string; name: string; value: T }> {
  for (const { key, value } of store.getRange(range)) {
    if (!Array.isArray(key) || key.length !== 2) continue; // LMDB's own entries (shared structures)
    yield { namespace: key[0], name: key[1], value };
  }
}

/** Adds a scanned record to `byNamespace`. */
function mirror<T>(byNamespace: Map<string, Map<string, T>>, namespace: string, name: string, value: T): void {
  let records = byNamespace.get(namespace);
  if (records === undefined) byNamespace.set(namespace, (records = new Map()));
  records.set(name, value);
}

class MirroredTable<T> implements Table<T> {
  private loaded: Map<string, Map<string, T>> | undefined;
  private readonly ordered = new Map<string, readonly T[]>();

  constructor(
    readonly name: string,
    readonly store: Database<T, Key>,
  ) {}

  /** Records by namespace and name, read from the database the first time they are needed. */
  private get byNamespace(): Map<string, Map<string, T>> {
    if (this.loaded === undefined) {
      const loaded = new Map<string, Map<string, T>>();
      for (const { namespace, name, value } of scanStore(this.store)) mirror(loaded, namespace, name, value);
      this.loaded = loaded;
    }
    return this.loaded;
  }

  async preload(): Promise<void> {
    // Each slice reads the latest commit from where the previous one stopped. Any change to the
    // mirror meanwhile goes through the getter, which loads everything at once and ends this loop;
    // otherwise the slices add up to the table as it is now.
    const partial = new Map<string, Map<string, T>>();
    const slice = new TimeSlice();
    let start: Key | undefined;
    while (this.loaded === undefined) {
      let more = false;
      for (const { namespace, name, value } of scanStore(this.store, start === undefined ? {} : { start })) {
        mirror(partial, namespace, name, value);
        start = [namespace, name];
        if ((more = slice.over)) break;
      }
      if (!more) this.loaded = partial;
      else await slice.next();
    }
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

/** Free bytes below which an I/O error while writing the database is taken for a full disk. */
const NEARLY_FULL_BYTES = 4 << 20;

/**
 * Whether `err` is an I/O error (EIO) raised while the disk holding `path` has next to no room: LMDB
 * writing its pages to a full filesystem can fail that way instead of with ENOSPC.
 */
function isIoErrorOnFullDisk(err: unknown, path: string): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (code !== 5 && code !== 'EIO') return false;
  try {
    const fs = statfsSync(path);
    return fs.bavail * fs.bsize < NEARLY_FULL_BYTES;
  } catch {
    return false;
  }
}

/**
 * The error to report for a failed LMDB transaction: LMDB rejects with a generic "Commit failed"
 * whose `commitError` promise holds the cause; a full disk becomes ResourceExhausted naming `path`.
 */
async function commitFailure(err: unknown, path: string): Promise<unknown> {
  const pending = (err as { commitError?: unknown } | undefined)?.commitError;
  const cause = pending instanceof Promise ? await pending.then(() => err, (e: unknown) => e) : err;
  if (isIoErrorOnFullDisk(cause, path)) return diskFull('writing metadata', path, 'input/output error with less than 4 MiB free', cause);
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
  /** Per table name and namespace, how many committed transactions have written to it. */
  private readonly generations: MirroredTable<number>;

  private constructor(private readonly path: string) {
    mkdirSync(path, { recursive: true });
    this.root = open({ path, maxDbs: 32, compression: false });
    this.generations = this.table<number>(GENERATIONS_TABLE) as MirroredTable<number>;
  }

  /** Opens (creating if needed) the database under `rootDir/metadata`. */
  static open(rootDir: string): MetadataDb {
    return new MetadataDb(join(rootDir, 'metadata'));
  }

  /** Opens the table `name`; its records are loaded into memory when first read. */
  table<T>(name: string): Table<T> {
    let table = this.tables.get(name);
    if (table === undefined) {
      // Shared msgpack structures make records small and decoding at start ~3× faster.
      table = new MirroredTable<unknown>(
        name,
        this.root.openDB<unknown, Key>({ name, sharedStructuresKey: Symbol.for('structures') }),
      );
      this.tables.set(name, table);
    }
    return table as Table<T>;
  }

  /**
   * How many committed transactions have written to `namespace` of `table`, ever: equal numbers mean
   * equal contents, so anything derived from a namespace's records can be kept with the number it was
   * derived at and trusted while the number stays the same.
   */
  generation(table: Table<unknown>, namespace: string): number {
    return this.generations.get((table as MirroredTable<unknown>).name, namespace) ?? 0;
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
    let bumped: StagedWrite[] = [];
    let result: R;
    try {
      result = await this.root.transaction(() => {
        const value = change(tx);
        bumped = this.bumpGenerations(staged);
        for (const w of [...staged, ...bumped]) {
          const key = keyOf(w.namespace, w.name);
          // Inside a transaction callback LMDB applies these synchronously to the open write transaction.
          quiet(w.value === undefined ? w.table.store.remove(key) : w.table.store.put(key, w.value));
        }
        return value;
      });
    } catch (err) {
      throw await commitFailure(err, this.path);
    }
    for (const w of [...staged, ...bumped]) w.table.set(w.namespace, w.name, w.value);
    return result;
  }

  /** The generation writes that go with `staged`: one increment per table and namespace written. */
  private bumpGenerations(staged: readonly StagedWrite[]): StagedWrite[] {
    const touched = new Map<string, Set<string>>();
    for (const w of staged) {
      if (!touched.has(w.table.name)) touched.set(w.table.name, new Set());
      touched.get(w.table.name)!.add(w.namespace);
    }
    const bumps: StagedWrite[] = [];
    for (const [name, namespaces] of touched) {
      for (const namespace of namespaces) {
        // Read inside the write transaction: transactions batched into the same commit count too.
        const current = this.generations.store.get(keyOf(name, namespace)) ?? 0;
        bumps.push({ table: this.generations as MirroredTable<unknown>, namespace: name, name: namespace, value: current + 1 });
      }
    }
    return bumps;
  }

  /** Flushes and closes the environment. */
  async close(): Promise<void> {
    await this.root.close();
  }
}
