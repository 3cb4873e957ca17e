/** Serves a Prometheus registry over plain HTTP at `/metrics`. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { unavailable } from '../errdefs/index.js';
import { splitHostPort } from '../pull/index.js';

/** The path metrics are served on. */
export const METRICS_PATH = '/metrics';

/** A running metrics endpoint. */
export interface MetricsServer {
  /** The bound `host:port` (the real port when 0 was asked for). */
  readonly address: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const reply = (res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': type, ...extra }).end(body);
};

async function answer(registry: Registry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://metrics').pathname;
  if (path !== METRICS_PATH) return reply(res, 404, 'text/plain', `not found: metrics are served on ${METRICS_PATH}\n`);
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain', `method ${req.method} not allowed\n`, { allow: 'GET, HEAD' });
  reply(res, 200, registry.contentType, await registry.metrics());
}

/** Starts serving `registry` on `hostPort` (`HOST:PORT`, IPv6 in brackets; port 0 picks a free one). */
export async function serveMetrics(registry: Registry, hostPort: string): Promise<MetricsServer> {
  const { hostname, port } = splitHostPort(hostPort);
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const server = createServer((req, res) => {
    answer(registry, req, res).catch((err: unknown) => reply(res, 500, 'text/plain', `collecting metrics failed: ${(err as Error).message}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    const refuse = (err: Error) => reject(unavailable(`metrics address ${hostPort}: cannot listen: ${err.message}`, err));
    server.once('error', refuse);
    server.listen(Number(port), host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
