/** Image manifests (OCI, Docker schema 2). */
import { readDescriptor, type ImageDescriptor } from './descriptor.js';
import { openDocument, type DocumentHeader } from './document-header.js';
import { asArray, at, field, type DocumentSource } from './json-shape.js';

/** A parsed image manifest. */
export interface ImageManifest extends DocumentHeader {
  /** The configuration blob. */
  readonly config: ImageDescriptor;
  /** The layers, base first. */
  readonly layers: readonly ImageDescriptor[];
}

/**
 * Parses and checks a manifest. `source` names the blob in messages. Throws FailedPrecondition for
 * anything that is not a well-formed manifest, including an index served as a manifest and Docker
 * schema 1.
 */
export function parseManifest(bytes: Uint8Array, source?: DocumentSource): ImageManifest {
  const { doc, fail, header } = openDocument(bytes, 'manifest', source);
  const config = field(doc, 'config');
  if (config === undefined) fail('config', 'is required');
  const list = field(doc, 'layers');
  const layers = list === undefined ? [] : asArray(list, 'layers', fail).map((d, i) => readDescriptor(d, at('layers', i), fail));
  return { ...header, config: readDescriptor(config, 'config', fail), layers };
}
