/**
 * A typed grpc-js client for any protobuf-es service: unary calls return promises, server streams
 * return async iterables. Used by tests, benchmarks and command-line tools.
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
import { Client, Metadata, credentials, type ChannelCredentials, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';

/** Per-call options. */
export interface CallOptions {
  /** Extra metadata (namespace, lease). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Deadline in milliseconds from now. */
  readonly timeoutMs?: number;
}

type ClientMethod<M> = M extends { methodKind: 'unary'; input: infer I extends DescMessage; output: infer O extends DescMessage }
  ? (request: MessageInitShape<I>, options?: CallOptions) => Promise<MessageShape<O>>
  : M extends { methodKind: 'server_streaming'; input: infer I extends DescMessage; output: infer O extends DescMessage }
    ? (request: MessageInitShape<I>, options?: CallOptions) => AsyncIterable<MessageShape<O>>
    : M extends { methodKind: 'bidi_streaming'; input: infer I extends DescMessage; output: infer O extends DescMessage }
      ? (requests: AsyncIterable<MessageInitShape<I>>, options?: CallOptions) => AsyncIterable<MessageShape<O>>
      : never;

/** A client with one method per service method, keyed by local name. */
export type ServiceClient<M extends GenServiceMethods> = { readonly [K in keyof M]: ClientMethod<M[K]> } & {
  /** Closes the underlying channel. */
  close(): void;
};

const toBuffer = (u8: Uint8Array): Buffer => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

const metadataOf = (options: CallOptions | undefined): Metadata => {
  const md = new Metadata();
  for (const [k, v] of Object.entries(options?.metadata ?? {})) md.set(k, v);
  return md;
};

const deadlineOf = (options: CallOptions | undefined) =>
  options?.timeoutMs === undefined ? {} : { deadline: Date.now() + options.timeoutMs };

/** Converts a target like `/run/x.sock` or `unix:///run/x.sock` or `127.0.0.1:7070` to a grpc-js address. */
export const grpcTarget = (address: string): string =>
  address.startsWith('/') ? `unix:${address}` : address.replace(/^unix:\/\//, 'unix:');

/** Creates a client for `service` on `address` (a socket path or host:port); plaintext unless `channelCredentials` say TLS. */
export function createServiceClient<M extends GenServiceMethods>(
  service: GenService<M>,
  address: string,
  channelOptions: ChannelOptions = {},
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
): ServiceClient<M> {
  const client = new Client(grpcTarget(address), channelCredentials, {
    'grpc.max_receive_message_length': 16 << 20,
    'grpc.max_send_message_length': 16 << 20,
    ...channelOptions,
  });
  const methods: Record<string, unknown> = { close: () => client.close() };
  for (const method of service.methods as DescMethod[]) {
    const path = `/${service.typeName}/${method.name}`;
    const serialize = (value: MessageInitShape<DescMessage>) => toBuffer(toBinary(method.input, create(method.input, value)));
    const deserialize = (bytes: Buffer) => fromBinary(method.output, bytes);
    if (method.methodKind === 'unary') {
      methods[method.localName] = (request: MessageInitShape<DescMessage>, options?: CallOptions) =>
        new Promise((resolve, reject) => {
          client.makeUnaryRequest(path, serialize, deserialize, request, metadataOf(options), deadlineOf(options), (err: ServiceError | null, value) =>
            err ? reject(err) : resolve(value),
          );
        });
    } else if (method.methodKind === 'server_streaming') {
      methods[method.localName] = (request: MessageInitShape<DescMessage>, options?: CallOptions) =>
        client.makeServerStreamRequest(path, serialize, deserialize, request, metadataOf(options), deadlineOf(options));
    } else if (method.methodKind === 'bidi_streaming') {
      methods[method.localName] = (requests: AsyncIterable<MessageInitShape<DescMessage>>, options?: CallOptions) => {
        const call = client.makeBidiStreamRequest(path, serialize, deserialize, metadataOf(options), deadlineOf(options));
        void (async () => {
          try {
            for await (const r of requests) if (!call.write(r)) await new Promise((res) => call.once('drain', res));
            call.end();
          } catch (err) {
            call.cancel();
            call.emit('error', err);
          }
        })();
        return call;
      };
    }
  }
  return methods as ServiceClient<M>;
}
