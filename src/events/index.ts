export type { EventPayload, Envelope, EventPublisher } from './envelope.js';
export type { EnvelopeListener, EventBus } from './bus.js';
export { createEventBus } from './bus.js';
export {
  TOPIC_IMAGE_CREATE,
  TOPIC_IMAGE_UPDATE,
  TOPIC_IMAGE_DELETE,
  TOPIC_NAMESPACE_CREATE,
  TOPIC_NAMESPACE_UPDATE,
  TOPIC_NAMESPACE_DELETE,
  TOPIC_PULL_PROGRESS,
  validateTopic,
} from './topics.js';
export { envelopeFields } from './envelope-fields.js';
export { typeNameOf } from './type-name.js';
