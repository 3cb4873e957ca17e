/** Opens every metadata store of one root and wires namespace emptiness checks. */
import type { LocalContentStore } from '../content/local/index.js';
import type { EventPublisher } from '../events/index.js';
import type { SharedExclusiveLock } from '../sync/index.js';
import { ContentStore } from './content.js';
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
  /** Content visibility per namespace, over the local blob store. */
  readonly content: ContentStore;
}

/** What the stores are built on. */
export interface MetadataParts {
  /** Receives every event the stores publish. */
  readonly events: EventPublisher;
  /** The blob store. */
  readonly local: LocalContentStore;
  /** Held shared while content is committed, exclusive while garbage is collected. */
  readonly gcLock: SharedExclusiveLock;
  /** Called after anything is deleted (images, leases, content), to schedule a collection. */
  readonly onDelete: () => void;
}

/** Opens the metadata under `rootDir`. */
export function openMetadata(rootDir: string, parts: MetadataParts): Metadata {
  const { events, local, gcLock, onDelete } = parts;
  const db = MetadataDb.open(rootDir);
  const namespaces = new NamespaceStore(db, events);
  const images = new ImageStore(db, namespaces, events, onDelete);
  const leases = new LeaseStore(db, namespaces, onDelete);
  const content = new ContentStore(db, local, namespaces, leases, events, gcLock, onDelete);
  namespaces.addResource({ what: 'images', table: images.table });
  namespaces.addResource({ what: 'leases', table: leases.table });
  namespaces.addResource({ what: 'blobs', table: content.table });
  return { db, namespaces, images, leases, content };
}
