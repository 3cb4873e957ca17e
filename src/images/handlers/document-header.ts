/** What image indexes and manifests share: the decoding and checks of the document, and its top-level fields. */
import type { StringMap } from '../../content/index.js';
import { readDescriptor, type ImageDescriptor } from './descriptor.js';
import { checkDocumentKind } from './document-kind.js';
import {
  asObject,
  decodeJson,
  failFor,
  field,
  optionalInteger,
  optionalString,
  optionalStringMap,
  subjectOf,
  type DocumentSource,
  type Fail,
  type JsonObject,
} from './json-shape.js';

/** The top-level fields an index and a manifest have in common. */
export interface DocumentHeader {
  /** `schemaVersion` (2 for every document in use). */
  readonly schemaVersion?: number;
  /** The media type the document declares, if any. */
  readonly mediaType?: string;
  /** Document annotations. */
  readonly annotations: StringMap;
  /** The subject of a referrer. */
  readonly subject?: ImageDescriptor;
  /** The artifact type of an artifact. */
  readonly artifactType?: string;
}

/** A decoded document of the expected kind, with its shared fields read. */
export interface OpenedDocument {
  /** The JSON object. */
  readonly doc: JsonObject;
  /** Fails naming the document and a path in it. */
  readonly fail: Fail;
  /** Its shared top-level fields. */
  readonly header: DocumentHeader;
}

/** Decodes `bytes` as a document of `kind`; FailedPrecondition (naming `source`) when it is not one. */
export function openDocument(bytes: Uint8Array, kind: 'index' | 'manifest', source: DocumentSource | undefined): OpenedDocument {
  const subject = subjectOf(kind, source);
  const fail = failFor(subject);
  const doc = asObject(decodeJson(bytes, subject), '', fail);
  checkDocumentKind(doc, kind, fail);
  const schemaVersion = optionalInteger(doc, 'schemaVersion', '', fail);
  const mediaType = optionalString(doc, 'mediaType', '', fail);
  const subjectDesc = field(doc, 'subject');
  const artifactType = optionalString(doc, 'artifactType', '', fail);
  const header: DocumentHeader = {
    ...(schemaVersion === undefined ? {} : { schemaVersion }),
    ...(mediaType === undefined ? {} : { mediaType }),
    annotations: optionalStringMap(doc, 'annotations', '', fail) ?? {},
    ...(subjectDesc === undefined ? {} : { subject: readDescriptor(subjectDesc, 'subject', fail) }),
    ...(artifactType === undefined ? {} : { artifactType }),
  };
  return { doc, fail, header };
}
