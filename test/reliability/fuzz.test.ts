/**
 * Fuzzing every request message of every service through the real socket. Services and methods come
 * from the generated descriptors the daemon serves; requests are random messages of the method's
 * input schema, mutations of their encodings, and raw random bytes, sent unary or streaming with
 * and without (valid or invalid) containerd-namespace metadata. The daemon must keep running and
 * answering health, and every call must end in a proper status: never UNKNOWN or INTERNAL.
 * Replay a failure with IMAGED_SEED=<printed seed>.
 */
import { create, toBinary, type DescMessage, type DescMethod } from '@bufbuild/protobuf';
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { Client, Metadata, credentials, status, type ClientDuplexStream, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import fc from 'fast-check';
import { SERVED_SERVICES } from '../../src/server/daemon.js';
import { ServerReflection as ReflectionV1 } from '../../gen/grpc/reflection/v1/reflection_pb.js';
import { ServerReflection as ReflectionV1alpha } from '../../gen/grpc/reflection/v1alpha/reflection_pb.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { testSeed } from '../support/seeded.js';
import { tempDir } from '../support/temp-dir.js';
import { healthOf } from './support/health.js';
import { messageInit, mutated } from './support/message-arbitrary.js';
import { recordResults } from './support/results.js';

const RANDOM_PER_METHOD = 80;
const MUTATED_PER_METHOD = 40;
const RAW_PER_METHOD = 40;
const IN_FLIGHT = 16;
const CALL_DEADLINE_MS = 5_000;
const STREAM_OPEN_MS = 200;
const NAMESPACES = [undefined, 'fuzz', 'k8s.io', '', 'bad namespace!', 'x'.repeat(100)];

const services: readonly GenService<GenServiceMethods>[] = [...SERVED_SERVICES, ReflectionV1, ReflectionV1alpha];
const seed = testSeed('fuzz');
let daemon: ImagedProcess;
let client: Client;
let calls = 0;
const codes = new Map<string, number>();

beforeAll(async () => {
  // An empty registry configuration: PullImage of random references fails without leaving the machine for long.
  daemon = await startImaged({ args: ['--registry-config-dir', tempDir('imaged-certsd-')] });
  client = new Client(`unix:${daemon.socket}`, credentials.createInsecure());
});

afterAll(async () => {
  recordResults('fuzz', { seed, calls, codes: Object.fromEntries(codes) });
  client?.close();
  await daemon?.stop();
});

const same = (b: Buffer) => b;

/** One call's outcome: its status code and message. */
interface Outcome {
  readonly code: number;
  readonly details: string;
}

/** Sends `payloads` (one for unary and server-streaming calls) to `method`; resolves with the final status. */
function send(path: string, method: DescMethod, payloads: readonly Uint8Array[], namespace: string | undefined): Promise<Outcome> {
  const md = new Metadata();
  if (namespace !== undefined) md.set('containerd-namespace', namespace);
  const options = { deadline: Date.now() + CALL_DEADLINE_MS };
  const buffers = payloads.map((p) => Buffer.from(p));
  return new Promise((resolve) => {
    const done = (err: ServiceError | null) => resolve({ code: err?.code ?? status.OK, details: err?.details ?? '' });
    const streamed = (call: ClientReadableStream<Buffer> | ClientDuplexStream<Buffer, Buffer>) => {
      // Subscriptions and watches never end on their own: cancel them once they are open.
      const timer = setTimeout(() => call.cancel(), STREAM_OPEN_MS);
      call.on('data', () => undefined);
      call.on('error', () => undefined);
      call.on('status', (s) => {
        clearTimeout(timer);
        resolve({ code: s.code, details: s.details });
      });
    };
    switch (method.methodKind) {
      case 'unary':
        client.makeUnaryRequest(path, same, same, buffers[0]!, md, options, done);
        return;
      case 'server_streaming':
        streamed(client.makeServerStreamRequest(path, same, same, buffers[0]!, md, options));
        return;
      case 'client_streaming': {
        const call = client.makeClientStreamRequest(path, same, same, md, options, done);
        for (const b of buffers) call.write(b);
        call.end();
        return;
      }
      default: {
        const call = client.makeBidiStreamRequest(path, same, same, md, options);
        streamed(call);
        for (const b of buffers) call.write(b);
        call.end();
      }
    }
  });
}

/** The requests to send to `method`: random messages, mutations of them, raw bytes; 1–3 per call for client streams. */
function requestsFor(method: DescMethod, methodSeed: number): Uint8Array[][] {
  const encode = (init: Record<string, unknown>): Uint8Array | undefined => {
    try {
      return toBinary(method.input as DescMessage, create(method.input as DescMessage, init));
    } catch {
      return undefined; // an init object create() refuses is not a request anyone can send
    }
  };
  const random = fc
    .sample(messageInit(method.input), { seed: methodSeed, numRuns: RANDOM_PER_METHOD })
    .map(encode)
    .filter((b): b is Uint8Array => b !== undefined);
  const base = random.length > 0 ? random : [new Uint8Array()];
  const mutants = fc.sample(
    fc.nat({ max: base.length - 1 }).chain((i) => mutated(base[i]!)),
    { seed: methodSeed + 1, numRuns: MUTATED_PER_METHOD },
  );
  const raw = fc.sample(fc.uint8Array({ maxLength: 256 }), { seed: methodSeed + 2, numRuns: RAW_PER_METHOD });
  const all = [...random, ...mutants, ...raw];
  const streaming = method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming';
  return all.map((b, i) => (streaming ? [b, ...all.slice(i + 1, i + 1 + (i % 3))] : [b]));
}

test.each(services.map((s) => [s.typeName, s] as const))('%s: random, mutated and raw requests get proper statuses; the daemon keeps serving', async (_, service) => {
  const failures: string[] = [];
  const methods = service.methods as DescMethod[];
  for (const [m, method] of methods.entries()) {
    const path = `/${service.typeName}/${method.name}`;
    const requests = requestsFor(method, seed + m * 7919 + service.typeName.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < requests.length) {
          const i = next++;
          const outcome = await send(path, method, requests[i]!, NAMESPACES[i % NAMESPACES.length]);
          calls++;
          const name = status[outcome.code] ?? String(outcome.code);
          codes.set(name, (codes.get(name) ?? 0) + 1);
          if (outcome.code === status.UNKNOWN || outcome.code === status.INTERNAL) {
            failures.push(`${path} request ${i} (${Buffer.from(requests[i]![0]!).toString('base64')}): ${name} ${outcome.details}`);
          }
        }
      }),
    );
  }
  expect(daemon.child.exitCode).toBeNull();
  expect(await healthOf(daemon.socket)).toBe('SERVING');
  expect(failures.slice(0, 10)).toEqual([]);
}, 120_000);
