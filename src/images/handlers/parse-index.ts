/** Image indexes (OCI index, Docker manifest list). */
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

/** A parsed image index. */
export interface ImageIndex {
  /** `schemaVersion` (2 for every index in use). */
  readonly schemaVersion?: number;
  /** The media type the document declares, if any. */
  readonly mediaType?: string;
  /** The manifests (or nested indexes) it lists, with their platforms. */
  readonly manifests: readonly ImageDescriptor[];
  /** Index annotations. */
  readonly annotations: StringMap;
  /** The subject of a referrer index. */
  readonly subject?: ImageDescriptor;
  /** The artifact type of an artifact index. */
  readonly artifactType?: string;
}

/**
 * Parses and checks an index. `source` names the blob in messages. Throws FailedPrecondition for
 * anything that is not a well-formed index, including a manifest served as an index.
 */
export function parseIndex(bytes: Uint8Array, source?: DocumentSource): ImageIndex {
  const subject = subjectOf('index', source);
  const fail = failFor(subject);
  const doc = asObject(decodeJson(bytes, subject), '', fail);
  checkDocumentKind(doc, 'index', fail);
  const schemaVersion = optionalInteger(doc, 'schemaVersion', '', fail);
  const mediaType = optionalString(doc, 'mediaType', '', fail);
  const list = field(doc, 'manifests');
  const manifests = list === undefined ? [] : asArray(list, 'manifests', fail).map((d, i) => readDescriptor(d, at('manifests', i), fail));
  const subjectDesc = field(doc, 'subject');
  const artifactType = optionalString(doc, 'artifactType', '', fail);
  return {
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    ...(mediaType === undefined ? {} : { mediaType }),
    manifests,
    annotations: optionalStringMap(doc, 'annotations', '', fail) ?? {},
    ...(subjectDesc === undefined ? {} : { subject: readDescriptor(subjectDesc, 'subject', fail) }),
    ...(artifactType === undefined ? {} : { artifactType }),
  };
}
