/** Topics and event type names imaged publishes, as containerd names them. */
import { invalidArgument } from '../errdefs/index.js';
import { validateIdentifier } from '../identifiers/index.js';

/** Topic of an image creation. */
export const TOPIC_IMAGE_CREATE = '/images/create';
/** Topic of an image update. */
export const TOPIC_IMAGE_UPDATE = '/images/update';
/** Topic of an image deletion. */
export const TOPIC_IMAGE_DELETE = '/images/delete';
/** Topic of a namespace creation. */
export const TOPIC_NAMESPACE_CREATE = '/namespaces/create';
/** Topic of a namespace update. */
export const TOPIC_NAMESPACE_UPDATE = '/namespaces/update';
/** Topic of a namespace deletion. */
export const TOPIC_NAMESPACE_DELETE = '/namespaces/delete';
/** Topic of imaged's pull progress events (`imaged.events.v1.PullProgress`, CRI namespace). */
export const TOPIC_PULL_PROGRESS = '/images/pull/progress';

/** Checks a topic: a leading "/", then identifiers separated by "/". */
export function validateTopic(topic: string): void {
  if (topic === '') throw invalidArgument('topic must not be empty');
  if (!topic.startsWith('/')) throw invalidArgument(`topic ${JSON.stringify(topic)} must start with "/"`);
  if (topic.endsWith('/')) throw invalidArgument(`topic ${JSON.stringify(topic)} must not end with "/"`);
  for (const component of topic.slice(1).split('/')) validateIdentifier(component, `topic component of ${JSON.stringify(topic)}`);
}
