/**
 * Runs Debian's real distribution registry (`docker-registry serve`, 2.8) on 127.0.0.1 for a test:
 * its config written by us, storage in a temp dir, plain HTTP or TLS, and no auth, htpasswd or token auth.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** TLS for the registry: PEM file paths. */
export interface RegistryTls {
  /** The server certificate file (for 127.0.0.1). */
  readonly cert: string;
  /** Its private key file. */
  readonly key: string;
  /** A CA file that `Registry.fetch` trusts; without it `fetch` skips verification. */
  readonly ca?: string;
}

/** Token auth: where clients get tokens and what the registry trusts (see token-server.ts). */
export interface RegistryTokenAuth {
  /** The token endpoint URL clients are sent to. */
  readonly realm: string;
  /** The service name; tokens must carry it as `aud`. */
  readonly service: string;
  /** The issuer; tokens must carry it as `iss`. */
  readonly issuer: string;
  /** Path of the PEM bundle whose certificates' keys may sign tokens. */
  readonly rootCertBundle: string;
}

/** The registry's auth: one htpasswd user, or bearer tokens. */
export type RegistryAuth =
  | { readonly htpasswd: { readonly user: string; readonly password: string } }
  | { readonly token: RegistryTokenAuth };

/** What `startRegistry` accepts. */
export interface RegistryOptions {
  /** Serve HTTPS with this certificate. */
  readonly tls?: RegistryTls;
  /** Require authentication. */
  readonly auth?: RegistryAuth;
}

/** Request options for `Registry.fetch`. */
export interface RegistryRequestInit {
  /** HTTP method (GET by default). */
  readonly method?: string;
  /** Request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body. */
  readonly body?: Buffer | string;
}

/** A running registry. */
export interface Registry {
  /** `127.0.0.1:PORT`, as used in image references. */
  readonly host: string;
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  readonly url: string;
  /** The directory holding the config, htpasswd and storage (removed by `stop`). */
  readonly dir: string;
  /** Sends a request to `url + path` (trusting `tls.ca` for HTTPS) and returns a standard Response. */
  fetch(path: string, init?: RegistryRequestInit): Promise<Response>;
  /** What the registry has logged so far (stdout and stderr). */
  logs(): string;
  /** Stops the registry and removes its directory. */
  stop(): Promise<void>;
}

/** A YAML value as we write it: JSON scalars, flow sequences of scalars, block mappings. */
type Yaml = string | number | boolean | readonly (string | number | boolean)[] | { readonly [key: string]: Yaml };

const toYaml = (map: { readonly [key: string]: Yaml }, indent = ''): string =>
  Object.entries(map)
    .map(([key, value]) =>
      typeof value === 'object' && !Array.isArray(value)
        ? `${indent}${key}:\n${toYaml(value as { readonly [key: string]: Yaml }, `${indent}  `)}`
        : `${indent}${key}: ${JSON.stringify(value)}\n`,
    )
    .join('');

/** A bcrypt hash ($2b$, cost 4) of `password` made with libxcrypt through perl's crypt (perl-base is Essential in Debian). */
export function bcryptHash(password: string): string {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const salt = [...randomBytes(22)].map((b) => alphabet[b & 63]).join('');
  const hash = execFileSync('perl', ['-e', 'print crypt($ENV{PW}, $ENV{SALT})'], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PW: password, SALT: `$2b$04$${salt}` },
  }).toString();
  if (!/^\$2b\$04\$[./A-Za-z0-9]{53}$/.test(hash)) throw new Error(`perl crypt() did not make a bcrypt hash (got "${hash}"): libcrypt lacks bcrypt`);
  return hash;
}

const authConfig = (auth: RegistryAuth, dir: string): { readonly [key: string]: Yaml } => {
  if ('htpasswd' in auth) {
    const { user, password } = auth.htpasswd;
    if (user.includes(':')) throw new Error(`htpasswd user may not contain ":": ${user}`);
    const path = join(dir, 'htpasswd');
    writeFileSync(path, `${user}:${bcryptHash(password)}\n`);
    return { htpasswd: { realm: 'imaged-test', path } };
  }
  const { realm, service, issuer, rootCertBundle } = auth.token;
  return { token: { realm, service, issuer, rootcertbundle: rootCertBundle } };
};

/** The registry config (YAML) for `options`, with storage under `dir`. */
export function registryConfig(options: RegistryOptions, dir: string): string {
  const http: { [key: string]: Yaml } = {
    addr: '127.0.0.1:0',
    secret: randomBytes(16).toString('hex'),
    headers: { 'X-Content-Type-Options': ['nosniff'] },
  };
  if (options.tls) http.tls = { certificate: options.tls.cert, key: options.tls.key };
  const config: { [key: string]: Yaml } = {
    version: '0.1',
    log: { level: 'info', formatter: 'text', fields: { service: 'registry' } },
    storage: {
      filesystem: { rootdirectory: join(dir, 'storage') },
      delete: { enabled: true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http,
  };
  if (options.auth) config.auth = authConfig(options.auth, dir);
  return toYaml(config);
}

const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

const toResponse = (status: number, method: string, headers: [string, string][], body: Buffer): Response =>
  new Response(method === 'HEAD' || status === 204 || status === 304 ? null : body, { status, headers });

const httpsFetch = (url: string, ca: string | undefined, init: RegistryRequestInit): Promise<Response> =>
  new Promise((resolve, reject) => {
    const method = init.method ?? 'GET';
    const req = httpsRequest(url, { method, headers: init.headers ?? {}, ...(ca ? { ca } : { rejectUnauthorized: false }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headers: [string, string][] = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
        resolve(toResponse(res.statusCode ?? 0, method, headers, Buffer.concat(chunks)));
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts `docker-registry` on 127.0.0.1 (a free port the registry picks) and waits until `GET /v2/` answers 200 or 401. */
export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const dir = mkdtempSync(join(tmpdir(), 'imaged-registry-'));
  const configPath = join(dir, 'config.yml');
  const config = registryConfig(options, dir);
  writeFileSync(configPath, config);
  // REGISTRY_* variables override the config file: keep them out.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
  const child = spawn('docker-registry', ['serve', configPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let logs = '';
  const collect = (chunk: Buffer): void => void (logs += chunk.toString());
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(timer);
    }
    live.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const fail = async (why: string): Promise<never> => {
    const seen = logs;
    await stop();
    throw new Error(`docker-registry ${why}\n--- config ---\n${config}--- log ---\n${seen}`);
  };

  const deadline = Date.now() + 15_000;
  let port: string | undefined;
  while (port === undefined) {
    port = /listening on 127\.0\.0\.1:(\d+)/.exec(logs)?.[1];
    if (port !== undefined) break;
    if (spawnError) return fail(`could not start: ${spawnError.message}`);
    if (child.exitCode !== null) return fail(`exited with ${child.exitCode} before listening`);
    if (Date.now() > deadline) return fail('did not report its port within 15 s');
    await sleep(10);
  }
  const host = `127.0.0.1:${port}`;
  const url = `${options.tls ? 'https' : 'http'}://${host}`;
  const ca = options.tls?.ca === undefined ? undefined : readFileSync(options.tls.ca, 'utf8');
  const registryFetch = (path: string, init: RegistryRequestInit = {}): Promise<Response> =>
    options.tls
      ? httpsFetch(url + path, ca, init)
      : fetch(url + path, {
          method: init.method ?? 'GET',
          headers: init.headers ?? {},
          ...(init.body === undefined ? {} : { body: init.body }),
        });

  for (;;) {
    const status = await registryFetch('/v2/').then(
      (r) => r.arrayBuffer().then(() => r.status),
      () => 0,
    );
    if (status === 200 || status === 401) break;
    if (child.exitCode !== null) return fail(`exited with ${child.exitCode}`);
    if (Date.now() > deadline) return fail(`GET /v2/ did not answer 200 or 401 within 15 s (last status ${status})`);
    await sleep(20);
  }
  return { host, url, dir, fetch: registryFetch, logs: () => logs, stop };
}

