/**
 * One HTTP(S) request at a time on node:http/node:https. Node's global fetch cannot take a custom CA,
 * a client certificate or "skip verify" per request (its undici Agent is not importable), so TLS
 * settings live in one keep-alive `https.Agent` per distinct configuration. Redirects are not
 * followed here: the registry client decides what credentials a redirect target may see.
 */
import { readFile } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { ImagedError, invalidArgument } from '../errdefs/index.js';
import type { ClientCertificate } from './endpoint.js';
import { connectionError } from './transport-errors.js';

/** TLS settings for a request (from the endpoint's hosts.toml entry). */
export interface TlsSettings {
  /** Accept any certificate. */
  readonly skipVerify: boolean;
  /** Extra CA files, trusted on top of Node's bundled roots. */
  readonly ca?: readonly string[];
  /** Client certificates to offer. */
  readonly clientCerts?: readonly ClientCertificate[];
}

/** One request. */
export interface HttpRequest {
  /** `GET`, `HEAD` or `POST`. */
  readonly method: string;
  /** Absolute http(s) URL. */
  readonly url: URL;
  /** Request headers (arrays send the header once per value). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** A form or JSON body. */
  readonly body?: string;
  /** TLS settings for https URLs. */
  readonly tls: TlsSettings;
  /** Longest wait for the TCP connection (default 30 s). */
  readonly dialTimeoutMs?: number;
  /** Cancels the request and its body. */
  readonly signal?: AbortSignal;
}

/** A response whose body has not been read yet. */
export interface HttpResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Response headers (lowercase names). */
  readonly headers: IncomingHttpHeaders;
  /** The body stream; read it, or call `discard`. */
  readonly body: IncomingMessage;
  /** The URL that answered. */
  readonly url: URL;
}

/** Sends requests and owns the connection pools. */
export interface HttpTransport {
  /** Sends `req`; rejects with Unavailable/DeadlineExceeded/Canceled naming the host when no response arrives. */
  send(req: HttpRequest): Promise<HttpResponse>;
  /** Closes idle connections and forgets the pools. */
  close(): void;
}

/** What `createHttpTransport` accepts. */
export interface HttpTransportOptions {
  /** Longest wait for response headers once connected (default 120 s). */
  readonly responseTimeoutMs?: number;
}

const DEFAULT_DIAL_TIMEOUT_MS = 30_000;
const DEFAULT_RESPONSE_TIMEOUT_MS = 120_000;

const readPem = async (path: string, what: string, marker: RegExp): Promise<string> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw invalidArgument(`cannot read ${what} ${path} named in hosts.toml: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, err);
  }
  if (!marker.test(text)) throw invalidArgument(`${what} ${path} named in hosts.toml holds no PEM ${what === 'client key' ? 'private key' : 'certificate'}`);
  return text;
};

const CERT_PEM = /-----BEGIN CERTIFICATE-----/;
const KEY_PEM = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;

async function makeHttpsAgent(tls: TlsSettings): Promise<HttpsAgent> {
  const ca = tls.ca === undefined ? undefined : [...rootCertificates, ...(await Promise.all(tls.ca.map((p) => readPem(p, 'CA file', CERT_PEM))))];
  const certs = tls.clientCerts ?? [];
  const cert = await Promise.all(certs.map((c) => readPem(c.cert, 'client certificate', CERT_PEM)));
  const key = await Promise.all(certs.map((c) => readPem(c.key ?? c.cert, 'client key', KEY_PEM)));
  return new HttpsAgent({
    keepAlive: true,
    rejectUnauthorized: !tls.skipVerify,
    ...(ca === undefined ? {} : { ca }),
    ...(cert.length === 0 ? {} : { cert, key }),
  });
}

/** Creates a transport with keep-alive pools per TLS configuration. */
export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const responseTimeoutMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
  const httpAgent = new HttpAgent({ keepAlive: true });
  const httpsAgents = new Map<string, Promise<HttpsAgent>>();

  const agentFor = (tls: TlsSettings): Promise<HttpsAgent> => {
    const key = JSON.stringify([tls.skipVerify, tls.ca ?? null, tls.clientCerts ?? null]);
    let agent = httpsAgents.get(key);
    if (agent === undefined) {
      agent = makeHttpsAgent(tls);
      httpsAgents.set(key, agent);
      agent.catch(() => httpsAgents.delete(key));
    }
    return agent;
  };

  const send = async (req: HttpRequest): Promise<HttpResponse> => {
    const https = req.url.protocol === 'https:';
    if (!https && req.url.protocol !== 'http:') throw invalidArgument(`cannot fetch ${req.url.protocol} URLs; only http and https`);
    const agent = https ? await agentFor(req.tls) : httpAgent;
    const dialMs = req.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS;
    return new Promise<HttpResponse>((resolve, reject) => {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = typeof v === 'string' ? v : [...v];
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const options = { method: req.method, headers, agent, ...(req.signal === undefined ? {} : { signal: req.signal }) };
      const r = https ? httpsRequest(req.url, options) : httpRequest(req.url, options);
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        reject(err instanceof ImagedError ? err : connectionError(err, req.url));
      };
      r.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(() => r.destroy(new ImagedError('Unavailable', `timed out after ${dialMs} ms connecting to ${req.url.host}`)), dialMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      r.setTimeout(responseTimeoutMs, () =>
        r.destroy(new ImagedError('DeadlineExceeded', `${req.url.host} sent no response to ${req.method} ${req.url.pathname} within ${responseTimeoutMs / 1000} s`)),
      );
      r.on('error', fail);
      r.on('response', (res) => {
        settled = true;
        r.setTimeout(0);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url: req.url });
      });
      r.end(req.body);
    });
  };

  return {
    send,
    close() {
      httpAgent.destroy();
      for (const agent of httpsAgents.values()) agent.then((a) => a.destroy(), () => undefined);
      httpsAgents.clear();
    },
  };
}

/** Drops a response body so its connection can be reused. */
export const discard = (res: HttpResponse): void => void res.body.resume();

/** Reads at most `limit` bytes of a body; `over` is set when more were available (the rest is dropped). */
export async function readLimited(res: HttpResponse, limit: number): Promise<{ readonly bytes: Buffer; readonly over: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) {
        chunks.push(chunk.subarray(0, chunk.length - (total - limit)));
        return { bytes: Buffer.concat(chunks), over: true };
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw err instanceof ImagedError ? err : connectionError(err as Error, res.url);
  }
  return { bytes: Buffer.concat(chunks), over: false };
}
