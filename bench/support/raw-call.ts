/**
 * A unary call that returns the response bytes undecoded, so a benchmark measures the server and
 * the transport rather than the client's own protobuf decoding (identical for every server).
 */
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { Client, Metadata, credentials, type ChannelOptions } from '@grpc/grpc-js';
import { grpcTarget } from '../../src/client/index.js';

/** Calls `path` on `address` with `request` (of `input`) and resolves with the raw response bytes. */
export function rawUnary<I extends DescMessage>(address: string, channelOptions: ChannelOptions = {}) {
  const client = new Client(grpcTarget(address), credentials.createInsecure(), { 'grpc.max_receive_message_length': 16 << 20, ...channelOptions });
  return {
    call(path: string, input: I, request: MessageInitShape<I>, metadata: Readonly<Record<string, string>>): Promise<Buffer> {
      const md = new Metadata();
      for (const [k, v] of Object.entries(metadata)) md.set(k, v);
      const bytes = Buffer.from(toBinary(input, create(input, request)));
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, bytes, md, {}, (err, value) =>
          err || value === undefined ? reject(err ?? new Error('no response')) : resolve(value),
        );
      });
    },
    close: () => client.close(),
  };
}
