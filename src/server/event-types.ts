/** The event messages imaged knows how to encode and decode, keyed by full type name. */
import { create, fromBinary, toBinary, toJson, type DescMessage } from '@bufbuild/protobuf';
import { typeNameOf, type EventPayload } from '../events/index.js';
import {
  ImageCreateSchema,
  ImageDeleteSchema,
  ImageUpdateSchema,
} from '../../gen/events/image_pb.js';
import {
  NamespaceCreateSchema,
  NamespaceDeleteSchema,
  NamespaceUpdateSchema,
} from '../../gen/events/namespace_pb.js';
import { ContentCreateSchema, ContentDeleteSchema } from '../../gen/events/content_pb.js';
import { PullProgressSchema } from '../../gen/imaged/events/v1/pull_pb.js';

const KNOWN = new Map<string, DescMessage>(
  [
    ImageCreateSchema,
    ImageUpdateSchema,
    ImageDeleteSchema,
    NamespaceCreateSchema,
    NamespaceUpdateSchema,
    NamespaceDeleteSchema,
    ContentCreateSchema,
    ContentDeleteSchema,
    PullProgressSchema,
  ].map((schema) => [schema.typeName, schema]),
);

/** The bytes of an event payload: as received, or encoded from its fields. */
export function encodePayload(payload: EventPayload): Uint8Array {
  if (payload.encoded !== undefined) return payload.encoded;
  const schema = KNOWN.get(typeNameOf(payload.typeName));
  if (schema === undefined) throw new Error(`no schema for event type ${payload.typeName}`);
  return toBinary(schema, create(schema, payload.fields as never));
}

/**
 * A payload for an event a client sent as an Any; known types are decoded so that `event.*` filters
 * can see their fields (named as in the .proto file). The bytes are copied and kept verbatim.
 */
export function decodePayload(typeUrl: string, value: Uint8Array): EventPayload {
  const encoded = value.slice();
  const schema = KNOWN.get(typeNameOf(typeUrl));
  if (schema === undefined) return { typeName: typeUrl, fields: undefined, encoded };
  try {
    const fields = toJson(schema, fromBinary(schema, encoded), { useProtoFieldName: true }) as Record<string, unknown>;
    return { typeName: typeUrl, fields, encoded };
  } catch {
    return { typeName: typeUrl, fields: undefined, encoded };
  }
}
