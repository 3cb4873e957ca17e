/**
 * The registry client against Debian's real distribution registry: plain HTTP, TLS with a CA from
 * hosts.toml, skip_verify, htpasswd basic auth, token auth, and mirror fallback.
 */
import { createTestPki, type TestPki } from '../support/tls.js';
import { buildImage, buildMultiArch, writeOciLayout, type BuiltImage, type BuiltIndex } from '../support/oci-fixture.js';
import { pushOciLayout } from '../support/skopeo.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';
import { tempDir } from '../support/temp-dir.js';
import { createRegistryClient, type RegistryClient, type RegistryClientOptions, type RegistryCredentials } from '../../src/pull/index.js';
import { closedPort, collect, expectBytes, failure, hostsDir, startFake } from './support.js';

const image: BuiltImage = buildImage({ layers: [{ files: { 'etc/hello': 'hello from imaged\n' } }, { randomBytes: 256 * 1024 }] });
const multi: { readonly index: BuiltIndex; readonly images: Readonly<Record<string, BuiltImage>> } = buildMultiArch();
const layoutDir = tempDir('imaged-pull-layout-');
writeOciLayout(layoutDir, { v1: image, multi: multi.index });

const REPO = 'test/app';
const started: { stop(): Promise<void> }[] = [];
const clients: RegistryClient[] = [];
afterAll(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(started.splice(0).map((s) => s.stop()));
});
const keep = <T extends { stop(): Promise<void> }>(s: T): T => (started.push(s), s);
const client = (options: RegistryClientOptions): RegistryClient => {
  const c = createRegistryClient({ retryDelayMs: 10, ...options });
  clients.push(c);
  return c;
};

/** Pushes the single image as `v1` and the multi-arch index as `multi`. */
async function pushFixture(registry: Registry, opts: { creds?: string; certDir?: string } = {}): Promise<void> {
  await pushOciLayout(layoutDir, 'v1', registry.host, REPO, opts);
  await pushOciLayout(layoutDir, 'multi', registry.host, REPO, { ...opts, all: true });
}

const manifestDesc = { ...image.manifest.descriptor, annotations: {} };
const layer = image.layers[1]!;

/** Resolves, fetches the manifest, config and a layer (whole and from an offset) and checks them against the fixture. */
async function pullsFixture(c: RegistryClient, host: string): Promise<void> {
  const resolved = await c.resolve(`${host}/${REPO}:v1`);
  expect(resolved.descriptor).toEqual({ mediaType: manifestDesc.mediaType, digest: manifestDesc.digest, size: manifestDesc.size, annotations: {} });
  const f = await c.fetcher(resolved.reference);
  expect(Buffer.from(await f.fetchManifest(resolved.descriptor))).toEqual(Buffer.from(image.manifest.bytes));
  expectBytes(await collect(await f.fetchBlob(image.config.descriptor)), image.config.bytes);
  expectBytes(await collect(await f.fetchBlob(layer.descriptor)), layer.bytes);
}

describe('plain HTTP registry', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = keep(await startRegistry());
    await pushFixture(registry);
  });

  it('resolves a tag and fetches manifest, config and layers through hosts.toml server = "http://..."', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "http://${registry.host}"\n`) });
    await pullsFixture(c, registry.host);
    const resolved = await c.resolve(`${registry.host}/${REPO}:v1`);
    expect(resolved.endpoint.url).toBe(`http://${registry.host}/v2`);
    expect(resolved.reference).toMatchObject({ host: registry.host, repository: REPO, tag: 'v1' });
  });

  it('finds the host directory under its host_port_ name too', async () => {
    const [ip, port] = registry.host.split(':');
    const c = client({ configDir: hostsDir(`${ip}_${port}_`, `server = "http://${registry.host}"\n`) });
    expect((await c.resolve(`${registry.host}/${REPO}:v1`)).descriptor.digest).toBe(manifestDesc.digest);
  });

  it('resolves the multi-arch index and fetches it and a child manifest', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "http://${registry.host}"\n`) });
    const resolved = await c.resolve(`${registry.host}/${REPO}:multi`);
    expect(resolved.descriptor).toMatchObject({ mediaType: 'application/vnd.oci.image.index.v1+json', digest: multi.index.index.descriptor.digest });
    const f = await c.fetcher(resolved.reference);
    expect(Buffer.from(await f.fetchManifest(resolved.descriptor))).toEqual(Buffer.from(multi.index.index.bytes));
    const arm = multi.images.arm64!;
    expect(Buffer.from(await f.fetchManifest(arm.manifest.descriptor))).toEqual(Buffer.from(arm.manifest.bytes));
  });

  it('resolves a digest reference', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "http://${registry.host}"\n`) });
    const resolved = await c.resolve(`${registry.host}/${REPO}@${manifestDesc.digest}`);
    expect(resolved.descriptor).toMatchObject({ digest: manifestDesc.digest, size: manifestDesc.size, mediaType: manifestDesc.mediaType });
    expect(resolved.reference.tag).toBeUndefined();
  });

  it('resumes a blob from an offset with a Range request', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "http://${registry.host}"\n`) });
    const f = await c.fetcher(`${registry.host}/${REPO}:v1`);
    const offset = 100_000;
    const stream = await f.fetchBlob(layer.descriptor, { offset });
    expect([stream.offset, stream.length]).toEqual([offset, layer.descriptor.size - offset]);
    expectBytes(await collect(stream), Buffer.from(layer.bytes).subarray(offset));
    expect(await collect(await f.fetchBlob(layer.descriptor, { offset: layer.descriptor.size }))).toHaveLength(0);
  });

  it('works without any configuration: loopback hosts try HTTPS and fall back to HTTP', async () => {
    const c = client({});
    await pullsFixture(c, registry.host);
  });

  it('answers NotFound for an unknown repository, tag or blob', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "http://${registry.host}"\n`) });
    const repo = await failure(c.resolve(`${registry.host}/no/such/repo:v1`));
    expect(repo.kind).toBe('NotFound');
    expect(repo.message).toContain(`${registry.host}/no/such/repo:v1`);
    expect((await failure(c.resolve(`${registry.host}/${REPO}:nope`))).kind).toBe('NotFound');
    const f = await c.fetcher(`${registry.host}/${REPO}:v1`);
    const missing = { mediaType: 'application/octet-stream', digest: `sha256:${'0'.repeat(64)}`, size: 3 };
    const blob = await failure(f.fetchBlob(missing));
    expect(blob.kind).toBe('NotFound');
    expect(blob.message).toMatch(/blob unknown/);
  });

  it('tries a mirror first and falls back to the server when the mirror is down', async () => {
    const down = await closedPort();
    const toml = `server = "http://${registry.host}"\n\n[host."http://127.0.0.1:${down}"]\n  capabilities = ["pull", "resolve"]\n`;
    const c = client({ configDir: hostsDir(registry.host, toml) });
    const f = await c.fetcher(`${registry.host}/${REPO}:v1`);
    expect(f.endpoints.map((e) => e.url)).toEqual([`http://127.0.0.1:${down}/v2`, `http://${registry.host}/v2`]);
    await pullsFixture(c, registry.host);
    expect((await c.resolve(`${registry.host}/${REPO}:v1`)).endpoint.url).toBe(`http://${registry.host}/v2`);
  });

  it('reports the most relevant failure: NotFound from the server beats a dead mirror', async () => {
    const down = await closedPort();
    const toml = `server = "http://${registry.host}"\n[host."http://127.0.0.1:${down}"]\n  capabilities = ["pull", "resolve"]\n`;
    const c = client({ configDir: hostsDir(registry.host, toml) });
    expect((await failure(c.resolve(`${registry.host}/${REPO}:missing`))).kind).toBe('NotFound');
  });

  it('answers Unavailable naming the host when nothing listens', async () => {
    const down = await closedPort();
    const c = client({ configDir: hostsDir(`127.0.0.1:${down}`, `server = "http://127.0.0.1:${down}"\n`) });
    const err = await failure(c.resolve(`127.0.0.1:${down}/${REPO}:v1`));
    expect(err.kind).toBe('Unavailable');
    expect(err.message).toBe(`cannot connect to registry 127.0.0.1:${down}: connection refused (is the registry running at that address?)`);
  });

  it('never resolves tags on a pull-only mirror, but fetches from it with ?ns= and falls back on 404', async () => {
    const mirror = keep(await startFake((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"not mirrored"}]}')));
    const toml = `server = "http://${registry.host}"\n[host."${mirror.url}"]\n  capabilities = ["pull"]\n`;
    const c = client({ configDir: hostsDir(registry.host, toml) });
    const resolved = await c.resolve(`${registry.host}/${REPO}:v1`);
    expect(mirror.seen).toEqual([]);
    const f = await c.fetcher(resolved.reference);
    expect(Buffer.from(await f.fetchManifest(resolved.descriptor))).toEqual(Buffer.from(image.manifest.bytes));
    expect(mirror.seen.map((r) => `${r.method} ${r.url}`)).toEqual([`GET /v2/${REPO}/manifests/${manifestDesc.digest}?ns=${encodeURIComponent(registry.host)}`]);
    expect((await c.resolve(`${registry.host}/${REPO}@${manifestDesc.digest}`)).endpoint.url).toBe(`http://${registry.host}/v2`);
    expect(mirror.seen.at(-1)?.method).toBe('HEAD');
  });

  it('refuses to resolve when no endpoint may', async () => {
    const onlyServer = client({ configDir: hostsDir(registry.host, `server = "http://127.0.0.1:1"\ncapabilities = ["pull"]\n`) });
    const err = await failure(onlyServer.resolve(`${registry.host}/${REPO}:v1`));
    expect(err).toMatchObject({ kind: 'NotFound' });
    expect(err.message).toMatch(/no endpoint for .* has the pull and resolve capabilities/);
  });
});

describe('TLS registry', () => {
  let registry: Registry;
  let pki: TestPki;
  beforeAll(async () => {
    pki = createTestPki(tempDir('imaged-pki-'));
    registry = keep(await startRegistry({ tls: { cert: pki.server.certPath, key: pki.server.keyPath, ca: pki.ca.certPath } }));
    await pushFixture(registry, { certDir: pki.certDir });
  });

  it('verifies the server with a CA named relative to the host directory', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "https://${registry.host}"\nca = "ca.crt"\n`, { 'ca.crt': pki.ca.certPem }) });
    await pullsFixture(c, registry.host);
  });

  it('accepts the unknown certificate with skip_verify', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "https://${registry.host}"\nskip_verify = true\n`) });
    await pullsFixture(c, registry.host);
  });

  it('refuses the certificate without a CA, saying how to fix it', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "https://${registry.host}"\n`) });
    const err = await failure(c.resolve(`${registry.host}/${REPO}:v1`));
    expect(err.kind).toBe('Unavailable');
    expect(err.message).toMatch(new RegExp(`TLS certificate of ${registry.host} is not trusted .*"ca".*skip_verify`));
  });

  it('uses HTTPS for an http:// host that has TLS settings', async () => {
    const toml = `[host."http://${registry.host}"]\n  ca = "${pki.ca.certPath}"\n`;
    const c = client({ configDir: hostsDir(registry.host, toml) });
    const resolved = await c.resolve(`${registry.host}/${REPO}:v1`);
    expect(resolved.endpoint).toMatchObject({ url: `https://${registry.host}/v2`, httpFallback: true });
  });

  it('names a missing CA file', async () => {
    const c = client({ configDir: hostsDir(registry.host, `server = "https://${registry.host}"\nca = "missing.crt"\n`) });
    const err = await failure(c.resolve(`${registry.host}/${REPO}:v1`));
    expect(err.kind).toBe('InvalidArgument');
    expect(err.message).toMatch(/cannot read CA file .*missing\.crt named in hosts\.toml: ENOENT/);
  });
});

describe('basic auth (htpasswd) over TLS', () => {
  const user = 'puller';
  const password = 'pa55: "word"';
  let registry: Registry;
  let configDir: string;
  beforeAll(async () => {
    const pki = createTestPki(tempDir('imaged-pki-'));
    registry = keep(
      await startRegistry({ tls: { cert: pki.server.certPath, key: pki.server.keyPath, ca: pki.ca.certPath }, auth: { htpasswd: { user, password } } }),
    );
    await pushFixture(registry, { creds: `${user}:${password}`, certDir: pki.certDir });
    configDir = hostsDir(registry.host, `server = "https://${registry.host}"\nca = "${pki.ca.certPath}"\n`);
  });

  it('pulls with a user name and password, asking for the endpoint host', async () => {
    const asked: string[] = [];
    const c = client({ configDir, credentials: (host) => (asked.push(host), { username: user, password }) });
    await pullsFixture(c, registry.host);
    expect(new Set(asked)).toEqual(new Set([registry.host]));
  });

  it("pulls with Docker's base64 auth form", async () => {
    const creds: RegistryCredentials = { auth: Buffer.from(`${user}:${password}`).toString('base64') };
    await pullsFixture(client({ configDir, credentials: () => creds }), registry.host);
  });

  it('answers PermissionDenied without credentials', async () => {
    const err = await failure(client({ configDir }).resolve(`${registry.host}/${REPO}:v1`));
    expect(err.kind).toBe('PermissionDenied');
    expect(err.message).toMatch(new RegExp(`${registry.host} requires a user name and password and none were given for it`));
  });

  it('answers PermissionDenied for a wrong password without revealing it', async () => {
    const c = client({ configDir, credentials: () => ({ username: user, password: 'Wr0ng-Secret' }) });
    const err = await failure(c.resolve(`${registry.host}/${REPO}:v1`));
    expect(err.kind).toBe('PermissionDenied');
    expect(err.message).toMatch(/rejected the password of user "puller"/);
    expect(err.message).not.toContain('Wr0ng-Secret');
    expect(err.message).not.toContain(Buffer.from(`${user}:Wr0ng-Secret`).toString('base64'));
  });
});

describe('token auth', () => {
  const credentials = { user: 'tok-user', password: 't0ken-pass' };
  let tokens: TokenServer;
  let registry: Registry;
  let configDir: string;
  beforeAll(async () => {
    tokens = keep(await startTokenServer({ credentials }));
    registry = keep(await startRegistry({ auth: { token: tokens } }));
    await pushFixture(registry, { creds: `${credentials.user}:${credentials.password}` });
    configDir = hostsDir(registry.host, `server = "http://${registry.host}"\n`);
  });

  it('gets one token with an OAuth2 password grant and reuses it for the whole pull', async () => {
    const before = tokens.requests().length;
    const c = client({ configDir, credentials: () => ({ username: credentials.user, password: credentials.password }) });
    await pullsFixture(c, registry.host);
    const mine = tokens.requests().slice(before);
    expect(mine).toEqual([{ method: 'POST', user: credentials.user, service: tokens.service, scopes: [`repository:${REPO}:pull`], status: 200 }]);
  });

  it('falls back from a refused POST to a GET with basic auth, and reports PermissionDenied without the password', async () => {
    const before = tokens.requests().length;
    const c = client({ configDir, credentials: () => ({ username: credentials.user, password: 'n0t-the-pass' }) });
    const err = await failure(c.resolve(`${registry.host}/${REPO}:v1`));
    expect(err.kind).toBe('PermissionDenied');
    expect(err.message).toMatch(/token server 127\.0\.0\.1:\d+ for 127\.0\.0\.1:\d+ refused a token for user "tok-user" \(HTTP 401\): bad credentials/);
    expect(err.message).not.toContain('n0t-the-pass');
    expect(tokens.requests().slice(before).map((r) => [r.method, r.status])).toEqual([
      ['POST', 401],
      ['GET', 401],
    ]);
  });

  it('asks anonymously without credentials and says the repository may need them', async () => {
    const err = await failure(client({ configDir }).resolve(`${registry.host}/${REPO}:v1`));
    expect(err.kind).toBe('PermissionDenied');
    expect(err.message).toMatch(/refused an anonymous token .*the repository may need credentials/);
  });

  it('sends an identity token as a refresh_token grant', async () => {
    const before = tokens.requests().length;
    const c = client({ configDir, credentials: () => ({ identityToken: 'id-t0ken' }) });
    const err = await failure(c.resolve(`${registry.host}/${REPO}:v1`));
    expect(err.kind).toBe('PermissionDenied');
    expect(err.message).not.toContain('id-t0ken');
    // The test token server refuses other grants with 400 (unlogged); then comes containerd's GET fallback.
    expect(tokens.requests().slice(before)).toEqual([expect.objectContaining({ method: 'GET', user: '', status: 401 })]);
  });
});
