/**
 * A server-streaming call that collects the response messages as undecoded bytes, so a benchmark
 * measures the server and the transport rather than the client's protobuf decoding (see raw-call.ts).
 */
import { create, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { Client, Metadata, credentials } from '@grpc/grpc-js';
import { grpcTarget } from '../../src/client/index.js';

/** A raw server-streaming caller on `address`; `call` resolves with every response message's bytes. */
export function rawServerStream<I extends DescMessage>(address: string) {
  const client = new Client(grpcTarget(address), credentials.createInsecure(), { 'grpc.max_receive_message_length': 16 << 20 });
  const identity = (b: Buffer) => b;
  return {
    async call(path: string, input: I, request: MessageInitShape<I>, metadata: Readonly<Record<string, string>>): Promise<Buffer[]> {
      const md = new Metadata();
      for (const [k, v] of Object.entries(metadata)) md.set(k, v);
      const bytes = Buffer.from(toBinary(input, create(input, request)));
      const messages: Buffer[] = [];
      for await (const message of client.makeServerStreamRequest(path, identity, identity, bytes, md, {})) {
        messages.push(message as Buffer);
      }
      return messages;
    },
    close: () => client.close(),
  };
}
