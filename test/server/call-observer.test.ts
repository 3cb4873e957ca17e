import { Metadata, status as Code } from '@grpc/grpc-js';
import { createLogger } from '../../src/log/index.js';
import { createCallObserver, levelOf, REQUEST_ID_HEADER } from '../../src/server/call-observer.js';
import { ImagedError } from '../../src/errdefs/index.js';

test.each([
  [Code.OK, 'debug'],
  [Code.NOT_FOUND, 'debug'],
  [Code.ALREADY_EXISTS, 'debug'],
  [Code.CANCELLED, 'debug'],
  [Code.INVALID_ARGUMENT, 'info'],
  [Code.FAILED_PRECONDITION, 'info'],
  [Code.PERMISSION_DENIED, 'info'],
  [Code.UNAUTHENTICATED, 'info'],
  [Code.UNAVAILABLE, 'warn'],
  [Code.DEADLINE_EXCEEDED, 'warn'],
  [Code.UNIMPLEMENTED, 'warn'],
  [Code.INTERNAL, 'error'],
  [Code.UNKNOWN, 'error'],
  [Code.DATA_LOSS, 'error'],
])('status %d is logged at %s', (code, level) => {
  expect(levelOf(code)).toBe(level);
});

function observed(level: 'debug' | 'info', metadata: Metadata, code: Code, error?: unknown) {
  const lines: string[] = [];
  const rpcs: unknown[][] = [];
  const observe = createCallObserver(createLogger({ level, format: 'json', destination: { write: (l) => void lines.push(l) } }), {
    rpc: (...args) => void rpcs.push(args),
  });
  const base = { path: '/svc.S/M', service: 'svc.S', method: 'M', metadata, code, durationMs: 1.23456 };
  observe(error === undefined ? base : { ...base, error });
  return { records: lines.map((l) => JSON.parse(l) as Record<string, unknown>), rpcs };
}

test('a call is counted and logged with request ID, method, namespace, duration and status name', () => {
  const metadata = new Metadata();
  metadata.set('containerd-namespace', 'default');
  metadata.set(REQUEST_ID_HEADER, 'req-42');
  const { records, rpcs } = observed('debug', metadata, Code.OK);
  expect(rpcs).toEqual([['svc.S', 'M', 'OK', 0.00123456]]);
  expect(records).toEqual([expect.objectContaining({ level: 'debug', msg: 'rpc', requestId: 'req-42', method: '/svc.S/M', namespace: 'default', durationMs: 1.235, code: 'OK' })]);
});

test('a missing or unusable x-request-id is replaced by a generated one', () => {
  for (const given of [undefined, '', 'has space', 'x'.repeat(129)]) {
    const metadata = new Metadata();
    if (given !== undefined) metadata.set(REQUEST_ID_HEADER, given);
    const [record] = observed('debug', metadata, Code.OK).records;
    expect(record?.['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(record).not.toHaveProperty('namespace');
  }
});

test('expected errors log their message; unexpected ones their stack; lines below the level are skipped but counted', () => {
  const expected = observed('debug', new Metadata(), Code.NOT_FOUND, new ImagedError('NotFound', 'image "a" not found')).records[0];
  expect(expected).toMatchObject({ level: 'debug', msg: 'rpc failed', code: 'NOT_FOUND', error: 'image "a" not found' });
  const unexpected = observed('info', new Metadata(), Code.UNKNOWN, new TypeError('x is undefined')).records[0];
  expect(unexpected).toMatchObject({ level: 'error', code: 'UNKNOWN', err: { type: 'TypeError', message: 'x is undefined' } });
  const quiet = observed('info', new Metadata(), Code.OK);
  expect(quiet.records).toEqual([]);
  expect(quiet.rpcs).toHaveLength(1);
});
