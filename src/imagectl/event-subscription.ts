/**
 * Subscribing to the daemon's events and knowing when the subscription is live: a probe event is
 * published on a topic of our own until it comes back, so nothing published afterwards is missed.
 */
import { randomBytes } from 'node:crypto';
import { create } from '@bufbuild/protobuf';
import { AnySchema, EmptySchema } from '@bufbuild/protobuf/wkt';
import { status } from '@grpc/grpc-js';
import type { Envelope } from '../../gen/types/event_pb.js';
import { Events } from '../../gen/services/events/v1/events_pb.js';
import type { Session } from './session.js';

/** A live subscription. */
export interface EventSubscription extends AsyncIterable<Envelope> {
  /** Ends the subscription; iteration then stops. */
  cancel(): void;
}

/** How long to wait for the probe before publishing it again. */
const PROBE_RETRY_MS = 250;

/** Subscribes to `filters` (any matching; empty = every event) and resolves once events flow. */
export async function subscribeLive(session: Session, filters: readonly string[], probeNamespace: string): Promise<EventSubscription> {
  const events = session.client(Events);
  const probe = `/imagectl/subscribed/${randomBytes(8).toString('hex')}`;
  const stream = events.subscribe({ filters: filters.length === 0 ? [] : [...filters, `topic==${JSON.stringify(probe)}`] });
  const queue: Envelope[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  let failure: unknown;
  let confirmed = false;
  void (async () => {
    try {
      for await (const envelope of stream) {
        if (envelope.topic === probe) confirmed = true;
        else queue.push(envelope);
        wake?.();
      }
    } catch (err) {
      if ((err as { code?: number }).code !== status.CANCELLED) failure = err;
    } finally {
      ended = true;
      wake?.();
    }
  })();
  const next = () => new Promise<void>((resolve) => (wake = resolve));
  const payload = create(AnySchema, { typeUrl: EmptySchema.typeName, value: new Uint8Array() });
  while (!confirmed && !ended) {
    await events.publish({ topic: probe, event: payload }, session.inNamespace(probeNamespace));
    await Promise.race([next(), new Promise((r) => setTimeout(r, PROBE_RETRY_MS).unref())]);
  }
  if (failure !== undefined) throw failure;
  return {
    cancel: () => (stream as unknown as { cancel(): void }).cancel(),
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const envelope = queue.shift();
        if (envelope !== undefined) yield envelope;
        else if (ended) break;
        else await next();
      }
      if (failure !== undefined) throw failure;
    },
  };
}
