/** Image records per namespace, persisted in the metadata database. */
import type { Nanos } from '../clock/index.js';
import { nowNanos } from '../clock/index.js';
import { alreadyExists, invalidArgument, notFound } from '../errdefs/index.js';
import {
  TOPIC_IMAGE_CREATE,
  TOPIC_IMAGE_DELETE,
  TOPIC_IMAGE_UPDATE,
  type EventPublisher,
} from '../events/index.js';
import {
  applyImageUpdate,
  validateImage,
  withoutEmptyValues,
  type Image,
  type ImageInput,
} from '../images/index.js';
import type { MetadataDb, Table } from './db.js';
import type { NamespaceStore } from './namespaces.js';

/** Options of a create or update. */
export interface ImageWriteOptions {
  /** Timestamp to record instead of the current time (reproducible builds). */
  readonly sourceDateEpoch?: Nanos;
}

/** Options of a delete. */
export interface ImageDeleteOptions {
  /** Delete only if the image still points at this digest; NotFound otherwise. */
  readonly targetDigest?: string;
}

const imageNotFound = (name: string) => notFound(`image ${JSON.stringify(name)} not found`);

/** Normalizes what a client sent into the form that is stored. */
function normalized(image: ImageInput): ImageInput {
  validateImage(image);
  return {
    name: image.name,
    labels: withoutEmptyValues(image.labels),
    target: { ...image.target, annotations: withoutEmptyValues(image.target.annotations) },
  };
}

/** Store of image records; reads are served from memory. */
export class ImageStore {
  /** The underlying table (for namespace emptiness checks and bulk readers). */
  readonly table: Table<Image>;

  /** Opens the images table of `db`. */
  constructor(
    private readonly db: MetadataDb,
    private readonly namespaces: NamespaceStore,
    private readonly events: EventPublisher,
    private readonly onDelete: () => void = () => {},
  ) {
    this.table = db.table<Image>('images');
  }

  /** The image `name` in `namespace`; NotFound if absent. */
  get(namespace: string, name: string): Image {
    const image = this.table.get(namespace, name);
    if (image === undefined) throw imageNotFound(name);
    return image;
  }

  /** Every image of `namespace` (that `matches`, when given), sorted by name. */
  list(namespace: string, matches?: (image: Image) => boolean): readonly Image[] {
    const all = this.table.values(namespace);
    return matches === undefined ? all : all.filter(matches);
  }

  /** Creates an image; AlreadyExists if the name is taken. Timestamps are set here. */
  async create(namespace: string, input: ImageInput, options: ImageWriteOptions = {}): Promise<Image> {
    if (input.name === '') throw invalidArgument('image name is required');
    const at = options.sourceDateEpoch ?? nowNanos();
    const image: Image = { ...normalized(input), createdAt: at, updatedAt: at };
    await this.db.update((tx) => {
      if (tx.get(this.table, namespace, image.name) !== undefined) {
        throw alreadyExists(`image ${JSON.stringify(image.name)} already exists`);
      }
      this.namespaces.ensure(tx, namespace);
      tx.put(this.table, namespace, image.name, image);
    });
    this.events.publish(namespace, TOPIC_IMAGE_CREATE, {
      typeName: 'containerd.services.images.v1.ImageCreate',
      fields: { name: image.name, labels: image.labels },
    });
    return image;
  }

  /**
   * Updates the image named by `patch.name` with the fields `paths` selects (all fields when empty);
   * NotFound if absent, InvalidArgument for an unknown path or an invalid result.
   */
  async update(
    namespace: string,
    patch: ImageInput,
    paths: readonly string[],
    options: ImageWriteOptions = {},
  ): Promise<Image> {
    if (patch.name === '') throw invalidArgument('image name is required for update');
    const updated = await this.db.update((tx) => {
      const current = tx.get(this.table, namespace, patch.name);
      if (current === undefined) throw imageNotFound(patch.name);
      const image: Image = {
        ...normalized(applyImageUpdate(current, patch, paths)),
        createdAt: current.createdAt,
        updatedAt: options.sourceDateEpoch ?? nowNanos(),
      };
      tx.put(this.table, namespace, image.name, image);
      return image;
    });
    this.events.publish(namespace, TOPIC_IMAGE_UPDATE, {
      typeName: 'containerd.services.images.v1.ImageUpdate',
      fields: { name: updated.name, labels: updated.labels },
    });
    return updated;
  }

  /** Deletes an image; NotFound if absent or if it no longer points at `targetDigest`. */
  async delete(namespace: string, name: string, options: ImageDeleteOptions = {}): Promise<void> {
    await this.db.update((tx) => {
      const current = tx.get(this.table, namespace, name);
      if (current === undefined) throw imageNotFound(name);
      const expected = options.targetDigest;
      if (expected !== undefined && expected !== '' && current.target.digest !== expected) {
        throw notFound(`image ${JSON.stringify(name)} has target ${current.target.digest}, not ${expected}`);
      }
      tx.remove(this.table, namespace, name);
    });
    this.events.publish(namespace, TOPIC_IMAGE_DELETE, {
      typeName: 'containerd.services.images.v1.ImageDelete',
      fields: { name },
    });
    this.onDelete();
  }
}
