/**
 * One logical request to one registry endpoint: hosts.toml headers, authorization from 401
 * challenges, redirects (credentials only for the endpoint's own host), HEAD→GET when a registry
 * refuses HEAD on manifests, retries on 408/429 and (for the last endpoint) 500/503/504, and the
 * HTTPS-to-HTTP switch for endpoints that allow it.
 */
import { ImagedError } from '../errdefs/index.js';
import type { Authorizer, AuthTarget } from './auth.js';
import { endpointHost, type RegistryEndpoint } from './endpoint.js';
import { Rank, ranked } from './error-rank.js';
import { discard, type HttpResponse, type HttpTransport, type TlsSettings } from './http-transport.js';
import { readRegistryMessage } from './registry-errors.js';
import { isPlainHttpAnswer } from './transport-errors.js';

/** Shared state of a registry client that requests use. */
export interface RequestContext {
  /** Sends single HTTP requests. */
  readonly transport: HttpTransport;
  /** Adds and learns authorization. */
  readonly authorizer: Authorizer;
  /** `User-Agent` header value. */
  readonly userAgent: string;
  /** Hosts that answered plain HTTP on an HTTPS-first endpoint, so later requests go straight to HTTP. */
  readonly plainHttpHosts: Set<string>;
  /** Base delay before retrying a 408/429/5xx answer, in ms. */
  readonly retryDelayMs: number;
}

/** What to ask one endpoint. */
export interface RegistryRequest {
  /** `GET` or `HEAD`. */
  readonly method: 'GET' | 'HEAD';
  /** The full URL on the endpoint (`…/v2/<repo>/manifests/<ref>`). */
  readonly url: URL;
  /** Extra headers (Accept, Range). */
  readonly headers: Readonly<Record<string, string>>;
  /** Token scope, e.g. `repository:library/busybox:pull`. */
  readonly scope: string;
  /** What is being fetched, for messages (`manifest docker.io/library/busybox:latest`). */
  readonly what: string;
  /** Whether this is the last endpoint tried (server errors are retried only there, as containerd does). */
  readonly lastEndpoint: boolean;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

const MAX_REDIRECTS = 10;
const MAX_CHALLENGES = 2;
const MAX_RETRIES = 3;
const MAX_RETRY_AFTER_MS = 10_000;

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** `headers` plus imaged's User-Agent unless hosts.toml set one. */
export function withUserAgent(headers: Readonly<Record<string, string | readonly string[]>>, userAgent: string): Record<string, string | readonly string[]> {
  const has = Object.keys(headers).some((k) => k.toLowerCase() === 'user-agent');
  return has ? { ...headers } : { ...headers, 'user-agent': userAgent };
}

/** TLS settings of an endpoint. */
export const endpointTls = (ep: RegistryEndpoint): TlsSettings => ({
  skipVerify: ep.skipVerify,
  ...(ep.ca === undefined ? {} : { ca: ep.ca }),
  ...(ep.clientCerts === undefined ? {} : { clientCerts: ep.clientCerts }),
});

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ImagedError('Canceled', 'request was canceled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ImagedError('Canceled', 'request was canceled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Milliseconds to wait before retry `attempt` (1-based), honouring a `Retry-After` in seconds. */
function retryDelay(res: HttpResponse, attempt: number, base: number): number {
  const after = Number(res.headers['retry-after']);
  if (Number.isFinite(after) && after >= 0) return Math.min(after * 1000, MAX_RETRY_AFTER_MS);
  return base * 2 ** (attempt - 1);
}

/** Sends `req` to `ep`, following redirects and answering challenges; returns the final response, which may be an error status. */
export async function sendToEndpoint(ctx: RequestContext, ep: RegistryEndpoint, req: RegistryRequest): Promise<HttpResponse> {
  const host = endpointHost(ep);
  const target: AuthTarget = {
    host,
    headers: withUserAgent(ep.headers, ctx.userAgent),
    tls: endpointTls(ep),
    ...(ep.dialTimeoutMs === undefined ? {} : { dialTimeoutMs: ep.dialTimeoutMs }),
    ...(req.signal === undefined ? {} : { signal: req.signal }),
  };
  let method = req.method;
  let challenges = 0;
  let retries = 0;
  let serverRetried = false;
  for (;;) {
    const authorization = await ctx.authorizer.authorization(target, req.scope).catch((err: Error) => {
      throw ranked(err, Rank.Status);
    });
    const res = await follow(ctx, ep, req, method, authorization);
    const fromEndpoint = res.url.host === host;
    if (res.status === 401 && fromEndpoint) {
      const values = res.body.headersDistinct['www-authenticate'] ?? [];
      let message = await readRegistryMessage(res);
      let reason: string | undefined;
      if (challenges < MAX_CHALLENGES) {
        challenges++;
        const outcome = await ctx.authorizer.challenge(target, req.scope, values, authorization).catch((err: Error) => {
          throw ranked(err, Rank.Status);
        });
        if (outcome.retry) continue;
        reason = outcome.reason;
      }
      // A HEAD answer has no body: ask once with GET so the error can quote the registry.
      if (method === 'HEAD' && message === undefined) message = await probeMessage(ctx, ep, req, authorization);
      const said = message === undefined ? '' : `: ${message}`;
      throw ranked(
        reason === undefined
          ? new ImagedError('PermissionDenied', `pull access denied for ${req.what} on ${host}${said}: the repository does not exist or the credentials do not allow pulling it`)
          : new ImagedError('PermissionDenied', `${host} requires authentication for ${req.what}${said}: ${reason}`),
        Rank.Status,
      );
    }
    if (res.status === 403 && method === 'HEAD' && fromEndpoint) {
      discard(res);
      method = 'GET';
      continue;
    }
    if (res.status === 405 && method === 'HEAD' && res.url.pathname.includes('/manifests/')) {
      discard(res);
      method = 'GET';
      continue;
    }
    if ((res.status === 408 || res.status === 429) && retries < MAX_RETRIES) {
      discard(res);
      retries++;
      await sleep(retryDelay(res, retries, ctx.retryDelayMs), req.signal);
      continue;
    }
    if ((res.status === 500 || res.status === 503 || res.status === 504) && req.lastEndpoint && !serverRetried) {
      discard(res);
      serverRetried = true;
      await sleep(retryDelay(res, 1, ctx.retryDelayMs), req.signal);
      continue;
    }
    return res;
  }
}

/** The registry's error message for `req` sent as GET (best effort, for refusals answered to a HEAD). */
async function probeMessage(ctx: RequestContext, ep: RegistryEndpoint, req: RegistryRequest, authorization: string | undefined): Promise<string | undefined> {
  try {
    const res = await follow(ctx, ep, req, 'GET', authorization);
    if (res.status < 400) {
      res.body.destroy();
      return undefined;
    }
    return await readRegistryMessage(res);
  } catch {
    return undefined;
  }
}

/** Sends one request and follows its redirects; the Authorization header goes only to the endpoint's own host. */
async function follow(ctx: RequestContext, ep: RegistryEndpoint, req: RegistryRequest, method: 'GET' | 'HEAD', authorization: string | undefined): Promise<HttpResponse> {
  const host = endpointHost(ep);
  let url = new URL(req.url);
  if (ep.httpFallback && ctx.plainHttpHosts.has(host) && url.host === host) url.protocol = 'http:';
  for (let hops = 0; ; hops++) {
    const headers = withUserAgent({ ...ep.headers, ...req.headers }, ctx.userAgent);
    if (authorization !== undefined && url.host === host) headers.authorization = authorization;
    let res: HttpResponse;
    try {
      res = await ctx.transport.send({
        method,
        url,
        headers,
        tls: endpointTls(ep),
        ...(ep.dialTimeoutMs === undefined ? {} : { dialTimeoutMs: ep.dialTimeoutMs }),
        ...(req.signal === undefined ? {} : { signal: req.signal }),
      });
    } catch (err) {
      if (ep.httpFallback && url.protocol === 'https:' && url.host === host && isPlainHttpAnswer(err)) {
        ctx.plainHttpHosts.add(host);
        url = new URL(url);
        url.protocol = 'http:';
        hops--;
        continue;
      }
      const config = err instanceof ImagedError && err.kind === 'InvalidArgument';
      throw ranked(err as Error, config ? Rank.Config : Rank.Connection);
    }
    const location = res.headers.location;
    if (!REDIRECT.has(res.status) || location === undefined) return res;
    discard(res);
    if (hops >= MAX_REDIRECTS) throw ranked(new ImagedError('Unavailable', `${host} redirected ${req.what} more than ${MAX_REDIRECTS} times`), Rank.Status);
    try {
      url = new URL(location, url);
    } catch {
      throw ranked(new ImagedError('Unavailable', `${host} redirected ${req.what} to an invalid URL`), Rank.Status);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw ranked(new ImagedError('Unavailable', `${host} redirected ${req.what} to a ${url.protocol} URL`), Rank.Status);
    }
  }
}
