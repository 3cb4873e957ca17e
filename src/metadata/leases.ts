/**
 * Leases: named, labelled holds on resources (content, ingests, snapshots) that keep them from
 * garbage collection while a client works.
 */
import type { Nanos } from '../clock/index.js';
import { nowNanos } from '../clock/index.js';
import type { StringMap } from '../content/index.js';
import { tryParseDigest } from '../digest/index.js';
import { alreadyExists, invalidArgument, notFound } from '../errdefs/index.js';
import { validateLabels } from '../identifiers/index.js';
import { withoutEmptyValues } from '../images/index.js';
import type { MetadataDb, Table, Tx } from './db.js';
import type { NamespaceStore } from './namespaces.js';

/** A resource a lease holds: `type` is `content`, `ingests` or `snapshots/<snapshotter>`. */
export interface LeaseResource {
  /** Identifier of the resource (a digest for content, a ref for ingests, a key for snapshots). */
  readonly id: string;
  /** Kind of resource. */
  readonly type: string;
}

/** A lease and what it holds. */
export interface Lease {
  /** Unique identifier within the namespace. */
  readonly id: string;
  /** When it was created. */
  readonly createdAt: Nanos;
  /** Labels, e.g. `containerd.io/gc.expire`. */
  readonly labels: StringMap;
  /** Resources held, in the order added. */
  readonly resources: readonly LeaseResource[];
}

const leaseNotFound = (id: string) => notFound(`lease ${JSON.stringify(id)} not found`);
const sameResource = (a: LeaseResource, b: LeaseResource): boolean => a.id === b.id && a.type === b.type;

/** Checks a resource reference; throws InvalidArgument naming what is wrong. */
export function validateLeaseResource(resource: LeaseResource): void {
  const { id, type } = resource;
  if (id === '') throw invalidArgument(`lease resource of type ${JSON.stringify(type)} needs an id`);
  const [kind, sub] = type.split('/', 2);
  if (kind === 'content') {
    if (sub !== undefined || type !== 'content') throw invalidArgument(`unsupported lease resource type ${JSON.stringify(type)}`);
    if (tryParseDigest(id) === undefined) throw invalidArgument(`lease resource ${JSON.stringify(id)}: content id must be a valid digest`);
  } else if (kind === 'snapshots') {
    if (sub === undefined || sub === '') throw invalidArgument(`lease resource type ${JSON.stringify(type)} must name a snapshotter`);
  } else if (type !== 'ingests') {
    throw invalidArgument(`unsupported lease resource type ${JSON.stringify(type)}: use content, ingests or snapshots/<snapshotter>`);
  }
}

/** Store of leases per namespace. */
export class LeaseStore {
  /** The underlying table. */
  readonly table: Table<Lease>;

  /** Opens the leases table of `db`. */
  constructor(
    private readonly db: MetadataDb,
    private readonly namespaces: NamespaceStore,
    private readonly onDelete: () => void = () => {},
  ) {
    this.table = db.table<Lease>('leases');
  }

  /** Every lease of `namespace` that `matches`, sorted by id. */
  list(namespace: string, matches: (lease: Lease) => boolean = () => true): Lease[] {
    return this.table.values(namespace).filter(matches);
  }

  /** The lease `id`; NotFound if absent. */
  get(namespace: string, id: string): Lease {
    const lease = this.table.get(namespace, id);
    if (lease === undefined) throw leaseNotFound(id);
    return lease;
  }

  /** Creates a lease; AlreadyExists if the id is taken. */
  async create(namespace: string, id: string, labels: StringMap): Promise<Lease> {
    if (id === '') throw invalidArgument('lease id must be provided');
    validateLabels(labels);
    const lease: Lease = { id, createdAt: nowNanos(), labels: withoutEmptyValues(labels), resources: [] };
    await this.db.update((tx) => {
      if (tx.get(this.table, namespace, id) !== undefined) throw alreadyExists(`lease ${JSON.stringify(id)} already exists`);
      this.namespaces.ensure(tx, namespace);
      tx.put(this.table, namespace, id, lease);
    });
    return lease;
  }

  /** Deletes a lease; NotFound if absent. */
  async delete(namespace: string, id: string): Promise<void> {
    await this.db.update((tx) => {
      if (tx.get(this.table, namespace, id) === undefined) throw leaseNotFound(id);
      tx.remove(this.table, namespace, id);
    });
    this.onDelete();
  }

  /** Adds `resource` to lease `id` (idempotent); NotFound if the lease is absent. */
  async addResource(namespace: string, id: string, resource: LeaseResource): Promise<void> {
    validateLeaseResource(resource);
    await this.modifyResources(namespace, id, (held) =>
      held.some((r) => sameResource(r, resource)) ? held : [...held, { id: resource.id, type: resource.type }],
    );
  }

  /** Removes `resource` from lease `id` (idempotent); NotFound if the lease is absent. */
  async deleteResource(namespace: string, id: string, resource: LeaseResource): Promise<void> {
    validateLeaseResource(resource);
    await this.modifyResources(namespace, id, (held) => held.filter((r) => !sameResource(r, resource)));
  }

  /** Within a write, adds `resource` to lease `id`; NotFound when the lease does not exist. */
  attach(tx: Tx, namespace: string, id: string, resource: LeaseResource): void {
    const lease = tx.get(this.table, namespace, id);
    if (lease === undefined) throw notFound(`lease ${JSON.stringify(id)} does not exist (named by the containerd-lease metadata)`);
    if (!lease.resources.some((r) => sameResource(r, resource))) {
      tx.put(this.table, namespace, id, { ...lease, resources: [...lease.resources, { id: resource.id, type: resource.type }] });
    }
  }

  private async modifyResources(
    namespace: string,
    id: string,
    change: (held: readonly LeaseResource[]) => readonly LeaseResource[],
  ): Promise<void> {
    await this.db.update((tx) => {
      const lease = tx.get(this.table, namespace, id);
      if (lease === undefined) throw leaseNotFound(id);
      const resources = change(lease.resources);
      if (resources !== lease.resources) tx.put(this.table, namespace, id, { ...lease, resources });
    });
  }
}
