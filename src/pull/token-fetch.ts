/**
 * Getting a bearer token from a registry's token server ("realm"), in containerd's order: with a
 * secret, an OAuth2 POST (password grant, or refresh_token grant for an identity token), falling
 * back to a GET with basic auth when the server refuses the POST with 400, 401, 404 (or 405 when
 * there is a user name); without a secret, an anonymous GET.
 */
import { ImagedError } from '../errdefs/index.js';
import type { Secret } from './credentials.js';
import { discard, readLimited, type HttpResponse, type HttpTransport, type TlsSettings } from './http-transport.js';
import { readRegistryMessage } from './registry-errors.js';

/** What a token request needs. */
export interface TokenRequest {
  /** The registry host the token is for (for messages). */
  readonly host: string;
  /** The challenge's realm URL. */
  readonly realm: string;
  /** The challenge's service, if any. */
  readonly service?: string;
  /** Scopes to ask for, e.g. `repository:library/busybox:pull`. */
  readonly scopes: readonly string[];
  /** Credentials; anonymous without. */
  readonly secret?: Secret;
  /** OAuth2 `client_id`. */
  readonly clientId: string;
  /** Extra headers (the endpoint's hosts.toml headers and User-Agent). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** TLS settings of the endpoint (used for the realm too, as containerd does). */
  readonly tls: TlsSettings;
  /** Connect timeout. */
  readonly dialTimeoutMs?: number;
  /** Cancels the request. */
  readonly signal?: AbortSignal;
}

/** A bearer token and how long it may be used. */
export interface Token {
  /** The token. */
  readonly token: string;
  /** Seconds it is valid for, as the server said (60 when it did not). */
  readonly expiresIn: number;
}

/** Largest token response read. */
const MAX_TOKEN_RESPONSE = 1024 * 1024;
/** Docker's token spec: a token without `expires_in` lasts 60 s. */
const DEFAULT_EXPIRES_IN = 60;

/** POST statuses after which containerd retries the token request as a GET. */
const POST_FALLBACK = new Set([400, 401, 404]);

/** Fetches a token for `req`; throws PermissionDenied when the token server refuses the credentials. */
export async function fetchToken(transport: HttpTransport, req: TokenRequest): Promise<Token> {
  let realm: URL;
  try {
    realm = new URL(req.realm);
  } catch {
    throw new ImagedError('Unavailable', `${req.host} sent an auth challenge with an invalid realm URL`);
  }
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:') {
    throw new ImagedError('Unavailable', `${req.host} sent an auth challenge whose realm is not http(s)`);
  }
  const secret = req.secret !== undefined && req.secret.secret !== '' ? req.secret : undefined;
  if (secret !== undefined) {
    const res = await postToken(transport, realm, req, secret);
    if (res.status >= 200 && res.status < 300) return readToken(res, realm, req);
    if (POST_FALLBACK.has(res.status) || (res.status === 405 && secret.username !== '')) {
      discard(res);
      return getToken(transport, realm, req, secret);
    }
    throw await tokenError(res, realm, req, secret);
  }
  return getToken(transport, realm, req, undefined);
}

async function postToken(transport: HttpTransport, realm: URL, req: TokenRequest, secret: Secret): Promise<HttpResponse> {
  const form = new URLSearchParams();
  if (req.scopes.length > 0) form.set('scope', req.scopes.join(' '));
  form.set('service', req.service ?? '');
  form.set('client_id', req.clientId);
  if (secret.username === '') {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', secret.secret);
  } else {
    form.set('grant_type', 'password');
    form.set('username', secret.username);
    form.set('password', secret.secret);
  }
  return transport.send({
    method: 'POST',
    url: realm,
    headers: { ...req.headers, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: form.toString(),
    tls: req.tls,
    ...(req.dialTimeoutMs === undefined ? {} : { dialTimeoutMs: req.dialTimeoutMs }),
    ...(req.signal === undefined ? {} : { signal: req.signal }),
  });
}

async function getToken(transport: HttpTransport, realm: URL, req: TokenRequest, secret: Secret | undefined): Promise<Token> {
  const url = new URL(realm);
  if (req.service !== undefined && req.service !== '') url.searchParams.append('service', req.service);
  for (const scope of req.scopes) url.searchParams.append('scope', scope);
  const headers: Record<string, string | readonly string[]> = { ...req.headers };
  if (secret !== undefined) headers.authorization = `Basic ${Buffer.from(`${secret.username}:${secret.secret}`).toString('base64')}`;
  const res = await transport.send({
    method: 'GET',
    url,
    headers,
    tls: req.tls,
    ...(req.dialTimeoutMs === undefined ? {} : { dialTimeoutMs: req.dialTimeoutMs }),
    ...(req.signal === undefined ? {} : { signal: req.signal }),
  });
  if (res.status >= 200 && res.status < 300) return readToken(res, realm, req);
  throw await tokenError(res, realm, req, secret);
}

async function readToken(res: HttpResponse, realm: URL, req: TokenRequest): Promise<Token> {
  const { bytes, over } = await readLimited(res, MAX_TOKEN_RESPONSE);
  const bad = (why: string): ImagedError => new ImagedError('Unavailable', `token server ${realm.host} for ${req.host} ${why}`);
  if (over) throw bad(`sent a token response larger than ${MAX_TOKEN_RESPONSE} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad('sent a token response that is not JSON');
  }
  const { token, access_token: accessToken, expires_in: expiresIn } = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  const value = typeof accessToken === 'string' && accessToken !== '' ? accessToken : typeof token === 'string' ? token : '';
  if (value === '') throw bad('did not include a token in its response');
  const seconds = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN;
  return { token: value, expiresIn: seconds };
}

async function tokenError(res: HttpResponse, realm: URL, req: TokenRequest, secret: Secret | undefined): Promise<ImagedError> {
  const message = await readRegistryMessage(res);
  // Never let a server's echo of the secret reach a message.
  const safe = secret === undefined || secret.secret === '' || message === undefined ? message : message.split(secret.secret).join('***');
  const said = safe === undefined ? '' : `: ${safe}`;
  const who =
    secret === undefined ? 'an anonymous token' : secret.username === '' ? 'a token for the identity token given' : `a token for user ${JSON.stringify(secret.username)}`;
  if (res.status === 401 || res.status === 403) {
    const hint = secret === undefined ? 'the repository may need credentials' : 'check the user name and password (or token)';
    return new ImagedError('PermissionDenied', `token server ${realm.host} for ${req.host} refused ${who} (HTTP ${res.status})${said}: ${hint}`);
  }
  return new ImagedError(res.status === 429 || res.status >= 500 ? 'Unavailable' : 'PermissionDenied', `token server ${realm.host} for ${req.host} answered HTTP ${res.status} when asked for ${who}${said}`);
}
