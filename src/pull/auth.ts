/**
 * Registry authorization from 401 challenges, as containerd's authorizer does it: one handler per
 * registry host (Basic with the host's credentials, or Bearer with the challenge's realm and
 * service), bearer tokens cached per host and scope until they expire, anonymous tokens when the
 * host has no credentials.
 */
import { toSecret, type CredentialsLookup, type Secret } from './credentials.js';
import type { HttpTransport, TlsSettings } from './http-transport.js';
import { fetchToken, type Token } from './token-fetch.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/** The endpoint a request goes to: what the authorizer needs to talk to its token server. */
export interface AuthTarget {
  /** `host[:port]` the request is sent to (credentials and handlers are per host). */
  readonly host: string;
  /** Headers to send to the token server (hosts.toml headers, User-Agent). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** TLS settings of the endpoint. */
  readonly tls: TlsSettings;
  /** Connect timeout. */
  readonly dialTimeoutMs?: number;
  /** Cancels token requests. */
  readonly signal?: AbortSignal;
}

/** What to do after a 401: retry with new authorization, or give up for `reason`. */
export type ChallengeOutcome = { readonly retry: true } | { readonly retry: false; readonly reason: string };

/** Adds Authorization headers to registry requests and learns from 401 answers. */
export interface Authorizer {
  /** The Authorization header for a request to `target` needing `scope`, once that host has challenged. */
  authorization(target: AuthTarget, scope: string): Promise<string | undefined>;
  /** Takes a 401's `WWW-Authenticate` values; `sent` is the Authorization the rejected request carried. */
  challenge(target: AuthTarget, scope: string, wwwAuthenticate: readonly string[], sent: string | undefined): Promise<ChallengeOutcome>;
}

/** What `createAuthorizer` needs. */
export interface AuthorizerOptions {
  /** Sends token requests. */
  readonly transport: HttpTransport;
  /** Credentials per host; anonymous without. */
  readonly credentials?: CredentialsLookup;
  /** OAuth2 client_id for token POSTs (default `imaged`). */
  readonly clientId?: string;
  /** Milliseconds since the epoch (tests). */
  readonly now?: () => number;
}

type Handler = { readonly scheme: 'basic'; readonly header: string } | { readonly scheme: 'bearer'; readonly realm: string; readonly service?: string };

interface CachedToken {
  readonly token: Promise<Token>;
  expiresAt: number;
}

/** Margin before a token's expiry at which it is no longer used. */
const EXPIRY_MARGIN_MS = 10_000;

/** Creates an authorizer with its own handler and token caches. */
export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const now = options.now ?? Date.now;
  const clientId = options.clientId ?? 'imaged';
  const handlers = new Map<string, Handler>();
  /** Extra scopes challenges asked for, by `host scope`. */
  const extraScopes = new Map<string, readonly string[]>();
  const tokens = new Map<string, CachedToken>();

  const secretFor = async (host: string): Promise<Secret | undefined> => {
    const creds = await options.credentials?.(host);
    return creds === undefined ? undefined : toSecret(creds);
  };

  const scopesFor = (host: string, scope: string): string[] => [...new Set([scope, ...(extraScopes.get(`${host} ${scope}`) ?? [])])].sort();
  const tokenKey = (host: string, scope: string): string => `${host}\n${scopesFor(host, scope).join(' ')}`;

  const bearer = async (target: AuthTarget, scope: string, h: Extract<Handler, { scheme: 'bearer' }>): Promise<string> => {
    const key = tokenKey(target.host, scope);
    const cached = tokens.get(key);
    if (cached !== undefined && cached.expiresAt > now()) return `Bearer ${(await cached.token).token}`;
    const entry: CachedToken = {
      token: secretFor(target.host).then((secret) =>
        fetchToken(options.transport, {
          host: target.host,
          realm: h.realm,
          ...(h.service === undefined ? {} : { service: h.service }),
          scopes: scopesFor(target.host, scope),
          ...(secret === undefined ? {} : { secret }),
          clientId,
          headers: target.headers,
          tls: target.tls,
          ...(target.dialTimeoutMs === undefined ? {} : { dialTimeoutMs: target.dialTimeoutMs }),
          ...(target.signal === undefined ? {} : { signal: target.signal }),
        }),
      ),
      expiresAt: Number.POSITIVE_INFINITY,
    };
    tokens.set(key, entry);
    try {
      const t = await entry.token;
      entry.expiresAt = now() + Math.max(t.expiresIn * 1000 - EXPIRY_MARGIN_MS, t.expiresIn * 500);
      return `Bearer ${t.token}`;
    } catch (err) {
      if (tokens.get(key) === entry) tokens.delete(key);
      throw err;
    }
  };

  return {
    async authorization(target, scope) {
      const h = handlers.get(target.host);
      if (h === undefined) return undefined;
      return h.scheme === 'basic' ? h.header : bearer(target, scope, h);
    },

    async challenge(target, scope, wwwAuthenticate, sent) {
      const challenges = parseWwwAuthenticate(wwwAuthenticate);
      if (challenges.length === 0) return { retry: false, reason: `${target.host} sent no usable WWW-Authenticate challenge` };
      const sentScheme = sent?.split(' ')[0]?.toLowerCase();
      let reason = `${target.host} asks for an unsupported authentication scheme (${challenges.map((c) => c.scheme).join(', ')})`;
      for (const c of challenges) {
        if (c.scheme === 'bearer') {
          const realm = c.params.realm;
          if (realm === undefined || realm === '') return { retry: false, reason: `${target.host} sent a bearer challenge without a realm` };
          if (sentScheme === 'bearer') tokens.delete(tokenKey(target.host, scope));
          handlers.set(target.host, { scheme: 'bearer', realm, ...(c.params.service === undefined ? {} : { service: c.params.service }) });
          const asked = (c.params.scope ?? '').split(' ').filter((s) => s !== '' && s !== scope);
          if (asked.length > 0) extraScopes.set(`${target.host} ${scope}`, asked);
          return { retry: true };
        }
        if (c.scheme === 'basic') {
          const secret = await secretFor(target.host);
          if (secret === undefined) {
            reason = `${target.host} requires a user name and password and none were given for it`;
            continue;
          }
          if (secret.username === '' || secret.secret === '') {
            return { retry: false, reason: `${target.host} requires basic authentication, which needs both a user name and a password` };
          }
          if (sentScheme === 'basic') {
            return { retry: false, reason: `${target.host} rejected the password of user ${JSON.stringify(secret.username)}` };
          }
          const header = `Basic ${Buffer.from(`${secret.username}:${secret.secret}`).toString('base64')}`;
          handlers.set(target.host, { scheme: 'basic', header });
          return { retry: true };
        }
      }
      return { retry: false, reason };
    },
  };
}
