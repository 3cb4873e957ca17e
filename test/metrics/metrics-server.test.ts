import { createServer } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { METRICS_PATH, serveMetrics, type MetricsServer } from '../../src/metrics/index.js';
import { ImagedError } from '../../src/errdefs/index.js';

let server: MetricsServer;
let counter: Counter;
beforeAll(async () => {
  const registry = new Registry();
  counter = new Counter({ name: 'test_things_total', help: 'Things.', registers: [registry] });
  server = await serveMetrics(registry, '127.0.0.1:0');
});
afterAll(() => server.close());

test('port 0 binds a free port and reports it', () => {
  expect(server.address).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
});

test('GET /metrics answers the registry in the exposition format, current at each scrape', async () => {
  counter.inc(3);
  const res = await fetch(`http://${server.address}${METRICS_PATH}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  expect(await res.text()).toContain('test_things_total 3\n');
  counter.inc();
  expect(await (await fetch(`http://${server.address}/metrics?x=1`)).text()).toContain('test_things_total 4\n');
});

test.each([
  ['GET', '/', 404, /served on \/metrics/],
  ['GET', '/metrics/x', 404, /served on \/metrics/],
  ['POST', '/metrics', 405, /method POST not allowed/],
])('%s %s is %d', async (method, path, status, body) => {
  const res = await fetch(`http://${server.address}${path}`, { method });
  expect(res.status).toBe(status);
  expect(await res.text()).toMatch(body);
});

test('an address in use is Unavailable naming the address', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as { port: number };
  try {
    const err = await serveMetrics(new Registry(), `127.0.0.1:${port}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImagedError);
    expect((err as ImagedError).kind).toBe('Unavailable');
    expect((err as ImagedError).message).toContain(`metrics address 127.0.0.1:${port}: cannot listen`);
  } finally {
    taken.close();
  }
});
