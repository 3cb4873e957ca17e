/**
 * A tiny Docker registry token server (the "realm" of distribution's token auth) on 127.0.0.1, plus the
 * client side of the bearer flow. Tokens are ES256 JWTs signed by a throwaway key whose self-signed
 * certificate is the registry's `rootcertbundle`.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCert } from './tls.js';

/** How the JWT names its signing key: distribution 2.8 accepts a libtrust `kid` of a bundle key, or an `x5c` chain to the bundle. */
export type KeyHeader = 'kid' | 'x5c';

/** What `startTokenServer` accepts. */
export interface TokenServerOptions {
  /** The registry's service name (`aud`); default `imaged-test-registry`. */
  readonly service?: string;
  /** The issuer (`iss`); default `imaged-test-token-server`. */
  readonly issuer?: string;
  /** Require these basic-auth credentials; without, anyone gets a token. */
  readonly credentials?: { readonly user: string; readonly password: string };
  /** How the signing key is named in the JWT header; default `kid`. */
  readonly keyHeader?: KeyHeader;
  /** Token lifetime; default 300 s. */
  readonly ttlSeconds?: number;
}

/** One access grant in a token: `repository:NAME:pull,push` parsed. */
export interface ResourceAccess {
  /** Resource type, e.g. `repository`. */
  readonly type: string;
  /** Resource name, e.g. `library/busybox`. */
  readonly name: string;
  /** Granted actions, e.g. `pull`, `push`. */
  readonly actions: readonly string[];
}

/** A request the token server answered. */
export interface TokenRequest {
  /** GET (docker token) or POST (OAuth2 password grant). */
  readonly method: string;
  /** The basic-auth or OAuth2 user, if any. */
  readonly user: string | undefined;
  /** The requested service. */
  readonly service: string;
  /** The requested scopes, as sent. */
  readonly scopes: readonly string[];
  /** The HTTP status answered. */
  readonly status: number;
}

/** A running token server; its `realm`/`service`/`issuer`/`rootCertBundle` are what `startRegistry({ auth: { token } })` needs. */
export interface TokenServer {
  /** The base URL, `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The token endpoint, `URL/token`. */
  readonly realm: string;
  /** The service name tokens are issued for. */
  readonly service: string;
  /** The issuer tokens carry. */
  readonly issuer: string;
  /** Path of the PEM certificate of the signing key. */
  readonly rootCertBundle: string;
  /** Requests answered so far. */
  requests(): readonly TokenRequest[];
  /** Closes the server and removes its key directory. */
  stop(): Promise<void>;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The libtrust key ID distribution uses for bundle keys: base32 of SHA-256(SPKI DER)[:30], in 4-character groups joined by ":". */
export function libtrustKeyId(publicKey: KeyObject): string {
  const bytes = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest().subarray(0, 30);
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  const chars = (bits.match(/.{5}/g) ?? []).map((five) => BASE32[parseInt(five, 2)]).join('');
  return (chars.match(/.{4}/g) ?? []).join(':');
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Parses `type:name:a,b` (the name may hold ":" as in `host:port/repo`). */
export function parseScope(scope: string): ResourceAccess | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',').filter(Boolean) };
}

const basicUser = (req: IncomingMessage): { user: string; password: string } | undefined => {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const text = Buffer.from(m[1], 'base64').toString();
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { user: text.slice(0, colon), password: text.slice(colon + 1) };
};

const readBody = async (req: IncomingMessage): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
};

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** Starts a token server on 127.0.0.1 (GET and POST `/token`) with a fresh ES256 key and certificate. */
export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const service = options.service ?? 'imaged-test-registry';
  const issuer = options.issuer ?? 'imaged-test-token-server';
  const ttl = options.ttlSeconds ?? 300;
  const dir = mkdtempSync(join(tmpdir(), 'imaged-token-'));
  const signer = selfSignedCert(dir, 'token-signer', issuer);
  const key = createPrivateKey(signer.keyPem);
  const header =
    (options.keyHeader ?? 'kid') === 'kid'
      ? { typ: 'JWT', alg: 'ES256', kid: libtrustKeyId(createPublicKey(key)) }
      : { typ: 'JWT', alg: 'ES256', x5c: [new X509Certificate(signer.certPem).raw.toString('base64')] };
  const log: TokenRequest[] = [];

  const issue = (user: string | undefined, scopes: readonly string[]): { token: string; issuedAt: Date } => {
    const now = Math.floor(Date.now() / 1000);
    const access = scopes.flatMap((s) => s.split(' ')).map(parseScope).filter((a): a is ResourceAccess => a !== undefined);
    const claims = { iss: issuer, sub: user ?? '', aud: service, exp: now + ttl, nbf: now - 10, iat: now, jti: randomBytes(12).toString('hex'), access };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
    return { token: `${input}.${b64url(signature)}`, issuedAt: new Date(now * 1000) };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) return send(res, 404, { errors: [{ code: 'NOT_FOUND' }] });
    let params = url.searchParams;
    let given = basicUser(req);
    if (req.method === 'POST') {
      params = new URLSearchParams(await readBody(req));
      if (params.get('grant_type') !== 'password') return send(res, 400, { error: 'unsupported_grant_type' });
      given = { user: params.get('username') ?? '', password: params.get('password') ?? '' };
    }
    const scopes = params.getAll('scope');
    const requested = params.get('service') ?? '';
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      log.push({ method: req.method ?? '', user: given?.user, service: requested, scopes, status });
      send(res, status, body, headers);
    };
    const want = options.credentials;
    if (want && (given?.user !== want.user || given.password !== want.password)) {
      return answer(401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] }, { 'WWW-Authenticate': 'Basic realm="imaged-test-token"' });
    }
    if (requested !== service) return answer(400, { errors: [{ code: 'DENIED', message: `unknown service "${requested}"` }] });
    const { token, issuedAt } = issue(given?.user, scopes);
    answer(200, { token, access_token: token, expires_in: ttl, issued_at: issuedAt.toISOString() });
  };

  const server = createServer((req, res) => void handle(req, res).catch((err: unknown) => send(res, 500, { error: String(err) })));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    realm: `${url}/token`,
    service,
    issuer,
    rootCertBundle: signer.certPath,
    requests: () => [...log],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The parameters of a `WWW-Authenticate: Bearer ...` challenge. */
export interface BearerChallenge {
  /** The token endpoint. */
  readonly realm: string;
  /** The service to ask for. */
  readonly service?: string;
  /** The scope the request needed. */
  readonly scope?: string;
}

/** Parses a `Bearer realm="...",service="...",scope="..."` challenge; undefined for other schemes. */
export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  const m = /^Bearer\s+(.*)$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const params = new Map<string, string>();
  for (const p of m[1].matchAll(/(\w+)="([^"]*)"/g)) if (p[1] && p[2] !== undefined) params.set(p[1].toLowerCase(), p[2]);
  const realm = params.get('realm');
  if (realm === undefined) return undefined;
  const service = params.get('service');
  const scope = params.get('scope');
  return { realm, ...(service === undefined ? {} : { service }), ...(scope === undefined ? {} : { scope }) };
}

/** Gets a bearer token for `challenge` (GET with basic auth when `creds` is `user:password`); throws on a non-200. */
export async function fetchToken(challenge: BearerChallenge, creds?: string): Promise<string> {
  const url = new URL(challenge.realm);
  if (challenge.service !== undefined) url.searchParams.set('service', challenge.service);
  if (challenge.scope !== undefined) url.searchParams.set('scope', challenge.scope);
  const r = await fetch(url, { headers: creds === undefined ? {} : { Authorization: `Basic ${Buffer.from(creds).toString('base64')}` } });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`token request ${url.href} answered ${r.status}: ${text}`);
  const body = JSON.parse(text) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (token === undefined) throw new Error(`token response without a token: ${text}`);
  return token;
}
