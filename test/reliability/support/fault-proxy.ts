/**
 * A fault-injecting HTTP proxy in front of a registry (127.0.0.1 only): each request is forwarded
 * unless the current rule names a fault for it — an HTTP error status, a connection reset (RST) or
 * closed (FIN, so every byte sent arrives) after part of the body, the body with one byte changed,
 * or the body trickled out in small slow pieces.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What to do to one request. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'reset'; readonly afterBytes: number }
  | { readonly kind: 'cut'; readonly afterBytes: number }
  | { readonly kind: 'corrupt' }
  | { readonly kind: 'trickle'; readonly bytesPerTick: number; readonly tickMs: number };

/** A request as a rule sees it. */
export interface ProxiedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  /** The Range header, if any. */
  readonly range?: string;
}

/** Chooses a fault for a request, or none. */
export type FaultRule = (req: ProxiedRequest) => Fault | undefined;

/** A running proxy. */
export interface FaultProxy {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** Every request seen, in order. */
  readonly seen: ProxiedRequest[];
  /** How many faults were injected so far. */
  readonly injected: () => number;
  /** Replaces the rule (no faults until one is set). */
  setRule(rule: FaultRule): void;
  /** Stops the proxy. */
  stop(): Promise<void>;
}

/** Sends `body` according to `fault` (or unchanged). */
function answer(res: ServerResponse, upstream: IncomingMessage, body: Buffer, fault: Fault | undefined): void {
  res.writeHead(upstream.statusCode ?? 502, upstream.headers);
  if (fault?.kind === 'reset' || fault?.kind === 'cut') {
    const close = fault.kind === 'reset' ? () => res.socket?.resetAndDestroy() : () => res.socket?.end();
    res.write(body.subarray(0, fault.afterBytes), close);
    return;
  }
  if (fault?.kind === 'corrupt' && body.length > 0) {
    const changed = Buffer.from(body);
    const middle = changed.length >> 1;
    changed[middle] = changed[middle]! ^ 0xff;
    return void res.end(changed);
  }
  if (fault?.kind === 'trickle') {
    let at = 0;
    const tick = () => {
      if (res.destroyed) return;
      if (at >= body.length) return void res.end();
      res.write(body.subarray(at, (at += fault.bytesPerTick)));
      setTimeout(tick, fault.tickMs);
    };
    return tick();
  }
  res.end(body);
}

/** Starts a proxy to `upstreamHost` (`127.0.0.1:PORT`, plain HTTP). */
export async function startFaultProxy(upstreamHost: string): Promise<FaultProxy> {
  const [hostname, port] = upstreamHost.split(':') as [string, string];
  const seen: ProxiedRequest[] = [];
  let rule: FaultRule = () => undefined;
  let injected = 0;
  const server = createServer((req, res) => {
    const seenReq: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', ...(req.headers.range === undefined ? {} : { range: req.headers.range }) };
    seen.push(seenReq);
    const fault = rule(seenReq);
    if (fault !== undefined) injected++;
    if (fault?.kind === 'status') return void res.writeHead(fault.status, { 'content-type': 'text/plain' }).end(`injected ${fault.status}`);
    const headers = { ...req.headers, host: upstreamHost };
    const forward = request({ hostname, port: Number(port), method: req.method, path: req.url, headers }, (upstream) => {
      const chunks: Buffer[] = [];
      upstream.on('data', (c: Buffer) => chunks.push(c));
      upstream.on('end', () => answer(res, upstream, Buffer.concat(chunks), fault));
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    injected: () => injected,
    setRule: (next) => void (rule = next),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
