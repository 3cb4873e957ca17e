/** Requests whose bytes are not a valid message fail with INVALID_ARGUMENT naming the message, unary and streaming (grpc-js alone says INTERNAL). */
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';

let daemon: ImagedProcess;
let client: Client;
const same = (b: Buffer) => b;
const md = () => {
  const m = new Metadata();
  m.set('containerd-namespace', 'default');
  return m;
};
/** A field header promising a 127-byte string that is not there. */
const TRUNCATED = Buffer.from([0x0a, 0x7f, 0x61]);

beforeAll(async () => {
  daemon = await startImaged();
  client = new Client(`unix:${daemon.socket}`, credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await daemon.stop();
});

test('a unary call', async () => {
  const err = await new Promise<ServiceError | null>((resolve) =>
    client.makeUnaryRequest('/containerd.services.images.v1.Images/Get', same, same, TRUNCATED, md(), (e) => resolve(e)),
  );
  expect(err?.code).toBe(status.INVALID_ARGUMENT);
  expect(err?.details).toContain('request is not a valid containerd.services.images.v1.GetImageRequest message');
});

test('a message of a bidirectional stream', async () => {
  const call = client.makeBidiStreamRequest('/containerd.services.content.v1.Content/Write', same, same, md());
  const ended = new Promise<{ code: number; details: string }>((resolve) => call.on('status', resolve));
  call.on('error', () => undefined);
  call.write(TRUNCATED);
  call.end();
  const { code, details } = await ended;
  expect(code).toBe(status.INVALID_ARGUMENT);
  expect(details).toContain('request is not a valid containerd.services.content.v1.WriteContentRequest message');
});
