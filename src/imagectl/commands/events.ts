/**
 * `imagectl events`: follows the daemon's events (every namespace) until interrupted, one line
 * each: time, namespace, topic, and the event as JSON (or its type URL when imaged cannot decode it).
 */
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { decodeEvent } from '../event-decoding.js';
import { subscribeLive } from '../event-subscription.js';
import type { Session } from '../session.js';

/** Options of `events`. */
export interface EventsOptions {
  /** containerd filters (any matching), e.g. `topic~="/images/"`. */
  readonly filter: readonly string[];
  /** `json`: one JSON object per line instead of columns. */
  readonly output: 'table' | 'json';
  /** Stops following when aborted. */
  readonly signal: AbortSignal;
}

/** Prints events as they come until `options.signal` aborts or the daemon ends the stream. */
export async function events(session: Session, options: EventsOptions): Promise<void> {
  const subscription = await subscribeLive(session, options.filter, session.namespace);
  options.signal.addEventListener('abort', () => subscription.cancel(), { once: true });
  for await (const envelope of subscription) {
    const time = envelope.timestamp ? timestampDate(envelope.timestamp).toISOString() : '';
    const typeUrl = envelope.event?.typeUrl ?? '';
    const decoded = envelope.event === undefined ? undefined : decodeEvent(typeUrl, envelope.event.value);
    if (options.output === 'json') {
      session.stdout.write(`${JSON.stringify({ timestamp: time, namespace: envelope.namespace, topic: envelope.topic, type: typeUrl, event: decoded ?? null })}\n`);
    } else {
      session.stdout.write(`${time} ${envelope.namespace} ${envelope.topic} ${decoded === undefined ? typeUrl : JSON.stringify(decoded)}\n`);
    }
  }
}
