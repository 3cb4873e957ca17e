/** The event types carried on imaged's bus, independent of the wire encoding. */
import type { Nanos } from '../clock/index.js';

/**
 * An event body: its protobuf full type name plus either plain fields (events imaged raises itself)
 * or the encoded bytes a client published (kept as-is so they are forwarded unchanged).
 */
export interface EventPayload {
  /** Full protobuf name, e.g. `containerd.services.images.v1.ImageCreate`. */
  readonly typeName: string;
  /** Decoded fields used by `event.*` filters; undefined when the type is unknown to imaged. */
  readonly fields: Readonly<Record<string, unknown>> | undefined;
  /** The encoded message when it came from a client. */
  readonly encoded?: Uint8Array;
}

/** One published event with its routing data. */
export interface Envelope {
  /** When it was published. */
  readonly timestamp: Nanos;
  /** The namespace it belongs to. */
  readonly namespace: string;
  /** Slash-separated topic such as `/images/create`. */
  readonly topic: string;
  /** The event body. */
  readonly event: EventPayload;
}

/** Something events can be published to. */
export interface EventPublisher {
  /** Publishes `event` under `topic` in `namespace`, stamped with the current time. */
  publish(namespace: string, topic: string, event: EventPayload): void;
}
