/** Opens every metadata store of one root and wires namespace emptiness checks. */
import type { EventPublisher } from '../events/index.js';
import { MetadataDb } from './db.js';
import { ImageStore } from './images.js';
import { LeaseStore } from './leases.js';
import { NamespaceStore } from './namespaces.js';

/** The metadata stores of one imaged root. */
export interface Metadata {
  /** The database they share. */
  readonly db: MetadataDb;
  /** Namespaces. */
  readonly namespaces: NamespaceStore;
  /** Images per namespace. */
  readonly images: ImageStore;
  /** Leases per namespace. */
  readonly leases: LeaseStore;
}

/** Opens the metadata under `rootDir`; mutations publish to `events`. */
export function openMetadata(rootDir: string, events: EventPublisher): Metadata {
  const db = MetadataDb.open(rootDir);
  const namespaces = new NamespaceStore(db, events);
  const images = new ImageStore(db, namespaces, events);
  const leases = new LeaseStore(db, namespaces);
  namespaces.addResource({ what: 'images', table: images.table });
  namespaces.addResource({ what: 'leases', table: leases.table });
  return { db, namespaces, images, leases };
}
