/** An in-process publish/subscribe exchange for {@link Envelope}s. */
import { nowNanos } from '../clock/index.js';
import type { Envelope, EventPayload, EventPublisher } from './envelope.js';

/** Receives the envelopes a subscription matches, in publication order. */
export type EnvelopeListener = (envelope: Envelope) => void;

/** The exchange every component publishes to and every subscriber listens on. */
export interface EventBus extends EventPublisher {
  /** Delivers an envelope that already carries its namespace and timestamp (Events.Forward). */
  forward(envelope: Envelope): void;
  /** Calls `listener` for each later envelope that `matches`; returns the function that stops it. */
  subscribe(matches: (envelope: Envelope) => boolean, listener: EnvelopeListener): () => void;
}

interface Subscription {
  readonly matches: (envelope: Envelope) => boolean;
  readonly listener: EnvelopeListener;
}

/** Creates an empty bus. Listeners run synchronously; they must queue work, not do it. */
export function createEventBus(): EventBus {
  const subscriptions = new Set<Subscription>();
  const forward = (envelope: Envelope): void => {
    for (const s of subscriptions) if (s.matches(envelope)) s.listener(envelope);
  };
  return {
    publish(namespace: string, topic: string, event: EventPayload): void {
      forward({ timestamp: nowNanos(), namespace, topic, event });
    },
    forward,
    subscribe(matches, listener) {
      const subscription = { matches, listener };
      subscriptions.add(subscription);
      return () => subscriptions.delete(subscription);
    },
  };
}
