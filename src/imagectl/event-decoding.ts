/** Decoding the Any payloads of events into JSON, for the event types imaged and containerd publish. */
import { createRegistry, fromBinary, toJson, type JsonValue } from '@bufbuild/protobuf';
import { typeNameOf } from '../events/index.js';
import { file_events_content } from '../../gen/events/content_pb.js';
import { file_events_image } from '../../gen/events/image_pb.js';
import { file_events_namespace } from '../../gen/events/namespace_pb.js';
import { file_imaged_events_v1_pull } from '../../gen/imaged/events/v1/pull_pb.js';

const registry = createRegistry(file_events_image, file_events_content, file_events_namespace, file_imaged_events_v1_pull);

/** The event as JSON, or undefined when its type is unknown or its bytes do not decode. */
export function decodeEvent(typeUrl: string, value: Uint8Array): JsonValue | undefined {
  const schema = registry.getMessage(typeNameOf(typeUrl));
  if (schema === undefined) return undefined;
  try {
    return toJson(schema, fromBinary(schema, value), { registry });
  } catch {
    return undefined;
  }
}
