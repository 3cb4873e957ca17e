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
import type {
  Metadata,
  ServerDuplexStream,
  ServerReadableStream,
  ServerUnaryCall,
  ServerWritableStream,
  ServiceDefinition,
  UntypedServiceImplementation,
  sendUnaryData,
} from '@grpc/grpc-js';
import { invalidArgument } from '../errdefs/index.js';
import { isUnexpected, toServiceError } from './status.js';

/** A response already encoded to protobuf bytes (for answers served from a cache of encodings). */
export class EncodedMessage {
  /** Wraps encoded `bytes` of the method's output message. */
  constructor(readonly bytes: Uint8Array) {}
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

/** Called with errors the server did not expect (the client still gets a status). */
export type UnexpectedErrorSink = (method: string, err: unknown) => void;

/** A service ready to be added to a grpc-js server. */
export interface AdaptedService {
  /** The grpc-js method table. */
  readonly definition: ServiceDefinition;
  /** The grpc-js handlers. */
  readonly implementation: UntypedServiceImplementation;
}

const toBuffer = (u8: Uint8Array): Buffer => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

function serializerFor(output: DescMessage): (value: Reply<DescMessage>) => Buffer {
  return (value) =>
    value instanceof EncodedMessage ? toBuffer(value.bytes) : toBuffer(toBinary(output, create(output, value)));
}

/**
 * The context of a call. Its abort signal is created on first use: most unary handlers never look
 * at it, and an AbortController per call is a measurable share of a small call's cost.
 */
function contextOf(
  method: string,
  call: { metadata: Metadata; cancelled: boolean; on(event: 'cancelled', cb: () => void): unknown },
): CallContext {
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

/** Adapts `service` implemented by `impl`; `onUnexpected` hears about errors that are not ImagedErrors. */
export function adaptService<M extends GenServiceMethods>(
  service: GenService<M>,
  impl: ServiceImpl<M>,
  onUnexpected: UnexpectedErrorSink,
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
    const fail = (err: unknown) => {
      if (isUnexpected(err)) onUnexpected(path, err);
      return toServiceError(err);
    };
    const bound = handler.bind(impl) as (...args: unknown[]) => Promise<unknown>;
    // Requests are checked before the handler sees them; a malformed one fails the call.
    const run = async (request: unknown, ...rest: unknown[]): Promise<unknown> =>
      bound(requestStream ? wellFormedStream(method.input, request as AsyncIterable<unknown>) : wellFormed(method.input, request), ...rest);
    implementation[method.name] = requestStream
      ? responseStream
        ? (call: ServerDuplexStream<unknown, Reply<DescMessage>>) => {
            run(requestsOf(call), contextOf(path, call), sender(call)).then(
              () => call.end(),
              (err: unknown) => call.emit('error', fail(err)),
            );
          }
        : (call: ServerReadableStream<unknown, unknown>, callback: sendUnaryData<unknown>) => {
            run(requestsOf(call), contextOf(path, call)).then(
              (reply) => callback(null, reply),
              (err: unknown) => callback(fail(err)),
            );
          }
      : responseStream
        ? (call: ServerWritableStream<unknown, Reply<DescMessage>>) => {
            run(call.request, contextOf(path, call), sender(call)).then(
              () => call.end(),
              (err: unknown) => call.emit('error', fail(err)),
            );
          }
        : (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
            run(call.request, contextOf(path, call)).then(
              (reply) => callback(null, reply),
              (err: unknown) => callback(fail(err)),
            );
          };
  }
  return { definition: definition as ServiceDefinition, implementation };
}
