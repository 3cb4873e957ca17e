/** Image manifests (OCI, Docker schema 2). */
import type { StringMap } from '../../content/index.js';
import { readDescriptor, type ImageDescriptor } from './descriptor.js';
import { checkDocumentKind } from './document-kind.js';
import {
  asArray,
  asObject,
  at,
  decodeJson,
  failFor,
  field,
  optionalInteger,
  optionalString,
  optionalStringMap,
  subjectOf,
  type DocumentSource,
} from './json-shape.js';

/** A parsed image manifest. */
export interface ImageManifest {
  /** `schemaVersion` (2 for every manifest in use). */
  readonly schemaVersion?: number;
  /** The media type the document declares, if any. */
  readonly mediaType?: string;
  /** The configuration blob. */
  readonly config: ImageDescriptor;
  /** The layers, base first. */
  readonly layers: readonly ImageDescriptor[];
  /** Manifest annotations. */
  readonly annotations: StringMap;
  /** The subject of a referrer manifest. */
  readonly subject?: ImageDescriptor;
  /** The artifact type of an artifact manifest. */
  readonly artifactType?: string;
}

/**
 * Parses and checks a manifest. `source` names the blob in messages. Throws FailedPrecondition for
 * anything that is not a well-formed manifest, including an index served as a manifest and Docker
 * schema 1.
 */
export function parseManifest(bytes: Uint8Array, source?: DocumentSource): ImageManifest {
  const subject = subjectOf('manifest', source);
  const fail = failFor(subject);
  const doc = asObject(decodeJson(bytes, subject), '', fail);
  checkDocumentKind(doc, 'manifest', fail);
  const schemaVersion = optionalInteger(doc, 'schemaVersion', '', fail);
  const mediaType = optionalString(doc, 'mediaType', '', fail);
  const config = field(doc, 'config');
  if (config === undefined) fail('config', 'is required');
  const list = field(doc, 'layers');
  const layers = list === undefined ? [] : asArray(list, 'layers', fail).map((d, i) => readDescriptor(d, at('layers', i), fail));
  const subjectDesc = field(doc, 'subject');
  const artifactType = optionalString(doc, 'artifactType', '', fail);
  return {
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    ...(mediaType === undefined ? {} : { mediaType }),
    config: readDescriptor(config, 'config', fail),
    layers,
    annotations: optionalStringMap(doc, 'annotations', '', fail) ?? {},
    ...(subjectDesc === undefined ? {} : { subject: readDescriptor(subjectDesc, 'subject', fail) }),
    ...(artifactType === undefined ? {} : { artifactType }),
  };
}
