/** containerd.services.events.v1.Events over the in-process bus. */
import { create } from '@bufbuild/protobuf';
import { AnySchema, EmptySchema } from '@bufbuild/protobuf/wkt';
import { nowNanos } from '../clock/index.js';
import { invalidArgument } from '../errdefs/index.js';
import { envelopeFields, validateTopic, type Envelope, type EventBus } from '../events/index.js';
import { parseFilters } from '../filters/index.js';
import { validateNamespace } from '../metadata/index.js';
import { Events } from '../../gen/services/events/v1/events_pb.js';
import { EnvelopeSchema } from '../../gen/types/event_pb.js';
import type { ServiceImpl } from './adapter.js';
import { requireNamespace } from './call-metadata.js';
import { fromTimestamp, toTimestamp } from './convert.js';
import { decodePayload, encodePayload } from './event-types.js';
import { wakeOrAbort } from './wake.js';

const toMessage = (envelope: Envelope) =>
  create(EnvelopeSchema, {
    timestamp: toTimestamp(envelope.timestamp),
    namespace: envelope.namespace,
    topic: envelope.topic,
    event: create(AnySchema, { typeUrl: envelope.event.typeName, value: encodePayload(envelope.event) }),
  });

const requireEvent = (event: { typeUrl: string; value: Uint8Array } | undefined) => {
  if (event === undefined || event.typeUrl === '') throw invalidArgument('event must be set, with a type URL');
  return decodePayload(event.typeUrl, event.value);
};

/** Implements the Events service; subscriptions end when `shutdown` aborts. */
export function createEventsService(bus: EventBus, shutdown: AbortSignal): ServiceImpl<(typeof Events)['method']> {
  return {
    async publish(req, ctx) {
      const namespace = requireNamespace(ctx);
      validateTopic(req.topic);
      bus.publish(namespace, req.topic, requireEvent(req.event));
      return create(EmptySchema);
    },

    async forward(req) {
      const envelope = req.envelope;
      if (envelope === undefined) throw invalidArgument('envelope must be set');
      validateNamespace(envelope.namespace);
      validateTopic(envelope.topic);
      bus.forward({
        timestamp: envelope.timestamp ? fromTimestamp(envelope.timestamp) : nowNanos(),
        namespace: envelope.namespace,
        topic: envelope.topic,
        event: requireEvent(envelope.event),
      });
      return create(EmptySchema);
    },

    async subscribe(req, ctx, send) {
      const filter = parseFilters(req.filters);
      const queue: Envelope[] = [];
      let wake: (() => void) | undefined;
      const stop = bus.subscribe(
        (envelope) => filter.match(envelopeFields(envelope)),
        (envelope) => {
          queue.push(envelope);
          wake?.();
        },
      );
      const signals = [ctx.signal, shutdown];
      try {
        while (!signals.some((s) => s.aborted)) {
          const next = queue.shift();
          if (next === undefined) await wakeOrAbort(signals, (w) => (wake = w));
          else await send(toMessage(next));
        }
      } finally {
        stop();
      }
    },
  };
}
