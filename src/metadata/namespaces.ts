/**
 * Namespaces: created explicitly with labels, or implicitly when something is first stored in them.
 * A namespace can be deleted only when no table holds anything in it.
 */
import type { StringMap } from '../content/index.js';
import { alreadyExists, failedPrecondition, notFound } from '../errdefs/index.js';
import {
  TOPIC_NAMESPACE_CREATE,
  TOPIC_NAMESPACE_DELETE,
  TOPIC_NAMESPACE_UPDATE,
  type EventPublisher,
} from '../events/index.js';
import { validateIdentifier, validateLabels } from '../identifiers/index.js';
import { withoutEmptyValues } from '../images/index.js';
import type { MetadataDb, Table, Tx } from './db.js';

/** A namespace and its labels. */
export interface Namespace {
  /** The namespace name (an identifier). */
  readonly name: string;
  /** Its labels. */
  readonly labels: StringMap;
}

/** A table whose records keep a namespace from being deleted; `what` names them in the error. */
export interface NamespaceResource {
  /** Plural noun for the records, e.g. "images". */
  readonly what: string;
  /** The table to look in. */
  readonly table: Table<unknown>;
}

/** All namespaces live as records of this single pseudo-namespace. */
const ALL = '';

/** Checks a namespace name; throws InvalidArgument. */
export const validateNamespace = (name: string): void => validateIdentifier(name, 'namespace');

/** Store of namespaces. */
export class NamespaceStore {
  private readonly table: Table<Namespace>;
  private readonly resources: NamespaceResource[] = [];

  /** Opens the namespaces table of `db`; `events` receives /namespaces/* events. */
  constructor(
    private readonly db: MetadataDb,
    private readonly events: EventPublisher,
  ) {
    this.table = db.table<Namespace>('namespaces');
  }

  /** Registers a table whose records make a namespace non-empty. */
  addResource(resource: NamespaceResource): void {
    this.resources.push(resource);
  }

  /** The namespace `name`; NotFound if it does not exist. */
  get(name: string): Namespace {
    const ns = this.table.get(ALL, name);
    if (ns === undefined) throw notFound(`namespace ${JSON.stringify(name)} not found`);
    return ns;
  }

  /** Every namespace, sorted by name. */
  list(): readonly Namespace[] {
    return this.table.values(ALL);
  }

  /** Creates a namespace; AlreadyExists if it exists. */
  async create(name: string, labels: StringMap): Promise<Namespace> {
    validateNamespace(name);
    validateLabels(labels);
    const ns: Namespace = { name, labels: withoutEmptyValues(labels) };
    await this.db.update((tx) => {
      if (tx.get(this.table, ALL, name) !== undefined) throw alreadyExists(`namespace ${JSON.stringify(name)} already exists`);
      tx.put(this.table, ALL, name, ns);
    });
    this.events.publish(name, TOPIC_NAMESPACE_CREATE, {
      typeName: 'containerd.events.NamespaceCreate',
      fields: { name, labels: ns.labels },
    });
    return ns;
  }

  /** Replaces the labels of namespace `name` with `labels`; NotFound if it does not exist. */
  async setLabels(name: string, labels: StringMap): Promise<Namespace> {
    validateLabels(labels);
    const ns: Namespace = { name, labels: withoutEmptyValues(labels) };
    await this.db.update((tx) => {
      if (tx.get(this.table, ALL, name) === undefined) throw notFound(`namespace ${JSON.stringify(name)} not found`);
      tx.put(this.table, ALL, name, ns);
    });
    this.events.publish(name, TOPIC_NAMESPACE_UPDATE, {
      typeName: 'containerd.events.NamespaceUpdate',
      fields: { name, labels: ns.labels },
    });
    return ns;
  }

  /** Deletes an empty namespace; NotFound if absent, FailedPrecondition naming what it still holds. */
  async delete(name: string): Promise<void> {
    await this.db.update((tx) => {
      if (tx.get(this.table, ALL, name) === undefined) throw notFound(`namespace ${JSON.stringify(name)} not found`);
      const held = this.resources.filter((r) => r.table.count(name) > 0).map((r) => r.what);
      if (held.length > 0) {
        throw failedPrecondition(
          `namespace ${JSON.stringify(name)} must be empty, but it still has ${held.join(', ')}`,
        );
      }
      tx.remove(this.table, ALL, name);
    });
    this.events.publish(name, TOPIC_NAMESPACE_DELETE, { typeName: 'containerd.events.NamespaceDelete', fields: { name } });
  }

  /** Within a write, records namespace `name` (without labels) if it is not known yet. */
  ensure(tx: Tx, name: string): void {
    if (tx.get(this.table, ALL, name) === undefined) tx.put(this.table, ALL, name, { name, labels: {} });
  }
}
