/** Image indexes (OCI index, Docker manifest list). */
import { readDescriptor, type ImageDescriptor } from './descriptor.js';
import { openDocument, type DocumentHeader } from './document-header.js';
import { asArray, at, field, type DocumentSource } from './json-shape.js';

/** A parsed image index. */
export interface ImageIndex extends DocumentHeader {
  /** The manifests (or nested indexes) it lists, with their platforms. */
  readonly manifests: readonly ImageDescriptor[];
}

/**
 * Parses and checks an index. `source` names the blob in messages. Throws FailedPrecondition for
 * anything that is not a well-formed index, including a manifest served as an index.
 */
export function parseIndex(bytes: Uint8Array, source?: DocumentSource): ImageIndex {
  const { doc, fail, header } = openDocument(bytes, 'index', source);
  const list = field(doc, 'manifests');
  const manifests = list === undefined ? [] : asArray(list, 'manifests', fail).map((d, i) => readDescriptor(d, at('manifests', i), fail));
  return { ...header, manifests };
}
