/**
 * Turns a protobuf-es service descriptor plus a typed implementation into a grpc-js service.
 * Handlers receive decoded messages and return plain init objects; encoding, cancellation,
 * back-pressure and error-to-status mapping happen here once.
 */
import {
  create,
  fromBinary,
  toBinary,
  type DescMessage,
  type DescMethod,
  type MessageInitShape,
  type MessageShape,
} from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import {
  status as Code,
  type Metadata,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type sendUnaryData,
  type ServiceError,
} from '@grpc/grpc-js';
import { invalidArgument } from '../errdefs/index.js';
import { toServiceError } from './status.js';

const toBuffer = (u8: Uint8Array): Buffer =>
  Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

/**
 * A response already encoded to protobuf bytes (for answers served from a cache of encodings). It
 * holds them as the Buffer grpc-js sends, so a cached reply is sent without any per-call work.
 */
export class EncodedMessage {
  /** The encoded output message. */
  readonly bytes: Buffer;

  /** Wraps encoded `bytes` of the method's output message (not copied). */
  constructor(bytes: Uint8Array) {
    this.bytes = toBuffer(bytes);
  }
}

/** What a handler learns about its call. */
export interface CallContext {
  /** Full method path, e.g. `/containerd.services.images.v1.Images/Get`. */
  readonly method: string;
  /** Request metadata (namespace, lease, …). */
  readonly metadata: Metadata;
  /** Aborted when the client cancels or the deadline passes. */
  readonly signal: AbortSignal;
}

/** A response a handler may return: a message init object or pre-encoded bytes. */
export type Reply<O extends DescMessage> = MessageInitShape<O> | EncodedMessage;
/** Sends one message on a response stream, resolving once the transport can take more. */
export type Send<O extends DescMessage> = (message: Reply<O>) => Promise<void>;

type Handler<M> = M extends { methodKind: 'unary'; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? (request: MessageShape<I>, ctx: CallContext) => Promise<Reply<O>>
  : M extends { methodKind: 'server_streaming'; input: infer I extends DescMessage; output: infer O extends DescMessage }
    ? (request: MessageShape<I>, ctx: CallContext, send: Send<O>) => Promise<void>
    : M extends { methodKind: 'client_streaming'; input: infer I extends DescMessage; output: infer O extends DescMessage }
      ? (requests: AsyncIterable<MessageShape<I>>, ctx: CallContext) => Promise<Reply<O>>
      : M extends { methodKind: 'bidi_streaming'; input: infer I extends DescMessage; output: infer O extends DescMessage }
        ? (requests: AsyncIterable<MessageShape<I>>, ctx: CallContext, send: Send<O>) => Promise<void>
        : never;

/** The implementation of every method of a generated service, keyed by the method's local name. */
export type ServiceImpl<M extends GenServiceMethods> = { readonly [K in keyof M]: Handler<M[K]> };

/** How one call ended. */
export interface CallOutcome {
  /** Full method path, e.g. `/containerd.services.images.v1.Images/Get`. */
  readonly path: string;
  /** The service's full name, e.g. `containerd.services.images.v1.Images`. */
  readonly service: string;
  /** The method's name, e.g. `Get`. */
  readonly method: string;
  /** Request metadata. */
  readonly metadata: Metadata;
  /** The status sent (CANCELLED when the client went away first). */
  readonly code: Code;
  /** Milliseconds from the start of the handler to its status. */
  readonly durationMs: number;
  /** What the handler threw, when it failed. */
  readonly error?: unknown;
}

/** Hears the end of every call (logs, metrics). */
export type CallObserver = (outcome: CallOutcome) => void;

/** A service ready to be added to a grpc-js server. */
export interface AdaptedService {
  /** The grpc-js method table. */
  readonly definition: ServiceDefinition;
  /** The grpc-js handlers. */
  readonly implementation: UntypedServiceImplementation;
}

/** What the adapter reads from any kind of grpc-js call. */
type ObservedCall = { readonly metadata: Metadata; readonly cancelled: boolean };

function serializerFor(output: DescMessage): (value: Reply<DescMessage>) => Buffer {
  return (value) => (value instanceof EncodedMessage ? value.bytes : toBuffer(toBinary(output, create(output, value))));
}

/**
 * The context of a call. Its abort signal is created on first use: most unary handlers never look
 * at it, and an AbortController per call is a measurable share of a small call's cost.
 */
function contextOf(method: string, call: ObservedCall & { on(event: 'cancelled', cb: () => void): unknown }): CallContext {
  let controller: AbortController | undefined;
  return {
    method,
    metadata: call.metadata,
    get signal() {
      if (controller === undefined) {
        const created = new AbortController();
        const abort = () => created.abort(new Error(`${method}: cancelled by the client`));
        if (call.cancelled) abort();
        else call.on('cancelled', abort);
        controller = created;
      }
      return controller.signal;
    },
  };
}

function sender<O extends DescMessage>(
  call: ServerWritableStream<unknown, Reply<O>> | ServerDuplexStream<unknown, Reply<O>>,
): Send<O> {
  return (message) =>
    new Promise((resolve) => {
      if (call.write(message)) resolve();
      else call.once('drain', () => resolve());
    });
}

/**
 * A request whose bytes are not a valid message of the method's input. grpc-js answers a throwing
 * deserializer with INTERNAL; decoding to this marker lets the call fail with INVALID_ARGUMENT.
 */
class MalformedRequest {
  constructor(readonly reason: string) {}
}

/** Decodes a request, or marks it malformed. */
const decodeRequest = (input: DescMessage, bytes: Buffer): unknown => {
  try {
    return fromBinary(input, bytes);
  } catch (err) {
    return new MalformedRequest(err instanceof Error ? err.message : String(err));
  }
};

/** The decoded request, or InvalidArgument naming the expected message when it did not decode. */
function wellFormed(input: DescMessage, request: unknown): unknown {
  if (request instanceof MalformedRequest) throw invalidArgument(`request is not a valid ${input.typeName} message: ${request.reason}`);
  return request;
}

/** The requests of a stream, each checked with {@link wellFormed}. */
async function* wellFormedStream(input: DescMessage, requests: AsyncIterable<unknown>): AsyncIterable<unknown> {
  for await (const request of requests) yield wellFormed(input, request);
}

/**
 * The request stream of a call as an async iterable. Iterating a Readable normally destroys it at
 * the end, which would also destroy the response side before the status is sent; this keeps it open.
 */
const requestsOf = (call: ServerReadableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>): AsyncIterable<unknown> =>
  call.iterator({ destroyOnReturn: false });

/** Adapts `service` implemented by `impl`; `observe` hears how every call ended. */
export function adaptService<M extends GenServiceMethods>(
  service: GenService<M>,
  impl: ServiceImpl<M>,
  observe: CallObserver,
): AdaptedService {
  const definition: Record<string, ServiceDefinition[string]> = {};
  const implementation: UntypedServiceImplementation = {};
  for (const method of service.methods as DescMethod[]) {
    const path = `/${service.typeName}/${method.name}`;
    const handler = (impl as Record<string, (...args: never[]) => Promise<unknown>>)[method.localName];
    if (handler === undefined) throw new Error(`service ${service.typeName}: no handler for ${method.name}`);
    const requestStream = method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming';
    const responseStream = method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming';
    definition[method.name] = {
      path,
      requestStream,
      responseStream,
      originalName: method.localName,
      requestSerialize: (value: unknown) => toBuffer(toBinary(method.input, value as MessageShape<DescMessage>)),
      requestDeserialize: (bytes: Buffer) => decodeRequest(method.input, bytes),
      responseSerialize: serializerFor(method.output),
      responseDeserialize: (bytes: Buffer) => fromBinary(method.output, bytes),
    };
    const base = { path, service: service.typeName, method: method.name };
    const bound = handler.bind(impl) as (...args: unknown[]) => Promise<unknown>;
    // Requests are checked before the handler sees them; a malformed one fails the call.
    const invoke = async ([request, ...rest]: unknown[]): Promise<unknown> =>
      bound(requestStream ? wellFormedStream(method.input, request as AsyncIterable<unknown>) : wellFormed(method.input, request), ...rest);
    /** Runs the handler; `ok` or `fail` delivers its result, then the outcome is observed. */
    const run = <R>(call: ObservedCall, args: unknown[], ok: (reply: R) => void, fail: (err: Partial<ServiceError>) => void) => {
      const started = performance.now();
      (invoke(args) as Promise<R>).then(
        (reply) => {
          const durationMs = performance.now() - started;
          ok(reply);
          observe({ ...base, metadata: call.metadata, code: call.cancelled ? Code.CANCELLED : Code.OK, durationMs });
        },
        (err: unknown) => {
          const durationMs = performance.now() - started;
          const status = toServiceError(err);
          fail(status);
          observe({ ...base, metadata: call.metadata, code: status.code ?? Code.UNKNOWN, durationMs, error: err });
        },
      );
    };
    implementation[method.name] = requestStream
      ? responseStream
        ? (call: ServerDuplexStream<unknown, Reply<DescMessage>>) =>
            run(call, [requestsOf(call), contextOf(path, call), sender(call)], () => call.end(), (err) => call.emit('error', err))
        : (call: ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) =>
            run(call, [requestsOf(call), contextOf(path, call)], (reply) => callback(null, reply), (err) => callback(err))
      : responseStream
        ? (call: ServerWritableStream<unknown, Reply<DescMessage>>) =>
            run(call, [call.request, contextOf(path, call), sender(call)], () => call.end(), (err) => call.emit('error', err))
        : (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) =>
            run(call, [call.request, contextOf(path, call)], (reply) => callback(null, reply), (err) => callback(err));
  }
  return { definition: definition as ServiceDefinition, implementation };
}
