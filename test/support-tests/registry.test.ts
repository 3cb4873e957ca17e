/**
 * The real-registry harness end to end: build an OCI layout here, push it with skopeo to Debian's
 * docker-registry (plain HTTP, TLS + htpasswd, token auth), and read the manifest back over HTTP.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startRegistry, type Registry } from '../support/registry.js';
import { pushOciLayout } from '../support/skopeo.js';
import { tempDir } from '../support/temp-dir.js';
import { createTestPki } from '../support/tls.js';
import { fetchToken, libtrustKeyId, parseBearerChallenge, parseScope, startTokenServer, type TokenServer } from '../support/token-server.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST].join(', ');

const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** A minimal ustar archive of regular files. */
const tar = (files: Record<string, string>): Buffer => {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    const h = Buffer.alloc(512);
    const put = (value: string, offset: number, length: number): void => void h.write(value, offset, length, 'ascii');
    const octal = (n: number, length: number): string => n.toString(8).padStart(length - 1, '0');
    put(name, 0, 100);
    put(octal(0o644, 8), 100, 8);
    put(octal(0, 8), 108, 8);
    put(octal(0, 8), 116, 8);
    put(octal(body.length, 12), 124, 12);
    put(octal(0, 12), 136, 12);
    put('        ', 148, 8);
    put('0', 156, 1);
    put('ustar\0' + '00', 257, 8);
    let sum = 0;
    for (const b of h) sum += b;
    put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
    blocks.push(h, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
};

/** An OCI layout under construction: blobs are written as they are added. */
const layout = (dir: string) => {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const blob = (mediaType: string, data: Buffer | string) => {
    const digest = sha256(data);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)), data);
    return { mediaType, digest, size: Buffer.byteLength(data) };
  };
  /** Adds a one-layer image and returns its manifest descriptor. */
  const image = (architecture: string, text: string) => {
    const layerTar = tar({ 'hello.txt': text });
    const layer = blob('application/vnd.oci.image.layer.v1.tar+gzip', gzipSync(layerTar));
    const configJson = JSON.stringify({ architecture, os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] } });
    const config = blob('application/vnd.oci.image.config.v1+json', configJson);
    const manifest = blob(OCI_MANIFEST, JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer] }));
    return { manifest, config, layer, platform: { architecture, os: 'linux' } };
  };
  const index = (tags: Record<string, { mediaType: string; digest: string; size: number }>) =>
    writeFileSync(
      join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: Object.entries(tags).map(([tag, d]) => ({ ...d, annotations: { 'org.opencontainers.image.ref.name': tag } })),
      }),
    );
  return { blob, image, index };
};

/** One layout with tag `v1` (single amd64 image) and `multi` (an index of amd64 + arm64). */
const buildLayout = () => {
  const dir = tempDir('imaged-oci-layout-');
  const l = layout(dir);
  const single = l.image('amd64', 'hello from imaged\n');
  const arm = l.image('arm64', 'hello from arm64\n');
  const multi = l.blob(
    OCI_INDEX,
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [single, arm].map((i) => ({ ...i.manifest, platform: i.platform })),
    }),
  );
  l.index({ v1: single.manifest, multi });
  return { dir, single, multi };
};

const fixture = buildLayout();
const started: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});
const keep = <T extends { stop(): Promise<void> }>(s: T): T => (started.push(s), s);

/** GETs a manifest, checks its digest header against its body, and returns both. */
const getManifest = async (registry: Registry, repo: string, ref: string, headers: Record<string, string> = {}) => {
  const r = await registry.fetch(`/v2/${repo}/manifests/${ref}`, { headers: { Accept: ACCEPT, ...headers } });
  const body = Buffer.from(await r.arrayBuffer());
  expect(r.status).toBe(200);
  expect(r.headers.get('docker-content-digest')).toBe(sha256(body));
  return { digest: sha256(body), mediaType: r.headers.get('content-type'), json: JSON.parse(body.toString()) as Record<string, unknown> };
};

describe('plain HTTP registry', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = keep(await startRegistry());
  });

  it('answers /v2/ on 127.0.0.1', async () => {
    expect(registry.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(registry.url).toBe(`http://${registry.host}`);
    const r = await fetch(`${registry.url}/v2/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('keeps the OCI manifest digest through a skopeo push', async () => {
    const pushed = await pushOciLayout(fixture.dir, 'v1', registry.host, 'test/plain');
    expect(pushed.digest).toBe(fixture.single.manifest.digest);
    const got = await getManifest(registry, 'test/plain', 'v1');
    expect(got.digest).toBe(fixture.single.manifest.digest);
    expect(got.mediaType).toBe(OCI_MANIFEST);
    const blob = await registry.fetch(`/v2/test/plain/blobs/${fixture.single.layer.digest}`);
    expect(sha256(Buffer.from(await blob.arrayBuffer()))).toBe(fixture.single.layer.digest);
  });

  it('converts to Docker schema 2 with format v2s2, keeping config and layer blobs', async () => {
    const pushed = await pushOciLayout(fixture.dir, 'v1', registry.host, 'test/docker', { format: 'v2s2' });
    const got = await getManifest(registry, 'test/docker', 'v1');
    expect(got.mediaType).toBe(DOCKER_MANIFEST);
    expect(got.digest).toBe(pushed.digest);
    expect(got.digest).not.toBe(fixture.single.manifest.digest);
    const m = got.json as { config: { digest: string; mediaType: string }; layers: { digest: string; mediaType: string }[] };
    expect(m.config).toMatchObject({ digest: fixture.single.config.digest, mediaType: 'application/vnd.docker.container.image.v1+json' });
    expect(m.layers).toEqual([expect.objectContaining({ digest: fixture.single.layer.digest, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' })]);
  });

  it('pushes a whole multi-arch index with all, digest unchanged', async () => {
    const pushed = await pushOciLayout(fixture.dir, 'multi', registry.host, 'test/multi', { all: true });
    expect(pushed.digest).toBe(fixture.multi.digest);
    const got = await getManifest(registry, 'test/multi', 'multi');
    expect(got.mediaType).toBe(OCI_INDEX);
    expect(got.digest).toBe(fixture.multi.digest);
    const children = (got.json.manifests as { digest: string }[]).map((d) => d.digest);
    for (const child of children) expect((await getManifest(registry, 'test/multi', child)).mediaType).toBe(OCI_MANIFEST);
  });

  it('fails with skopeo stderr for a tag the layout lacks', async () => {
    await expect(pushOciLayout(fixture.dir, 'nope', registry.host, 'test/plain')).rejects.toThrow(/skopeo copy .* exited \d+:\n.*nope/s);
  });
});

describe('TLS + htpasswd registry', () => {
  const user = 'tester';
  const password = 'p@ss: "word"';
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let registry: Registry;
  let certDir: string;
  beforeAll(async () => {
    const pki = createTestPki(tempDir('imaged-pki-'));
    certDir = pki.certDir;
    registry = keep(
      await startRegistry({ tls: { cert: pki.server.certPath, key: pki.server.keyPath, ca: pki.ca.certPath }, auth: { htpasswd: { user, password } } }),
    );
  });

  it('serves HTTPS and challenges for basic auth', async () => {
    expect(registry.url).toBe(`https://${registry.host}`);
    const r = await registry.fetch('/v2/');
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await registry.fetch('/v2/', { headers: { Authorization: basic } })).status).toBe(200);
  });

  it('takes a verified, authenticated skopeo push', async () => {
    const pushed = await pushOciLayout(fixture.dir, 'v1', registry.host, 'test/tls', { creds: `${user}:${password}`, certDir });
    expect(pushed.digest).toBe(fixture.single.manifest.digest);
    expect((await getManifest(registry, 'test/tls', 'v1', { Authorization: basic })).digest).toBe(fixture.single.manifest.digest);
  });

  it('rejects a wrong password, and the error hides it', async () => {
    const err = await pushOciLayout(fixture.dir, 'v1', registry.host, 'test/tls', { creds: `${user}:wrong-secret`, certDir }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/unauthorized|authentication required/i);
    expect(err?.message).not.toContain('wrong-secret');
  });

  it('rejects an unverified certificate when verifying without the CA', async () => {
    await expect(pushOciLayout(fixture.dir, 'v1', registry.host, 'test/tls', { creds: `${user}:${password}`, tlsVerify: true })).rejects.toThrow(
      /certificate/,
    );
  });
});

describe.each(['kid', 'x5c'] as const)('token-auth registry (%s header)', (keyHeader) => {
  const credentials = { user: 'puller', password: 's3cret' };
  let tokens: TokenServer;
  let registry: Registry;
  beforeAll(async () => {
    tokens = keep(await startTokenServer({ credentials, keyHeader }));
    registry = keep(await startRegistry({ auth: { token: tokens } }));
  });

  it('challenges with the bearer realm and service', async () => {
    const r = await registry.fetch('/v2/test/token/manifests/v1', { headers: { Accept: ACCEPT } });
    expect(r.status).toBe(401);
    expect(parseBearerChallenge(r.headers.get('www-authenticate'))).toEqual({
      realm: tokens.realm,
      service: tokens.service,
      scope: 'repository:test/token:pull',
    });
  });

  it('takes a skopeo push through the token server and serves the manifest with a token', async () => {
    const pushed = await pushOciLayout(fixture.dir, 'v1', registry.host, 'test/token', { creds: `${credentials.user}:${credentials.password}` });
    expect(pushed.digest).toBe(fixture.single.manifest.digest);
    expect(tokens.requests()).toContainEqual(
      expect.objectContaining({ user: 'puller', status: 200, scopes: expect.arrayContaining(['repository:test/token:pull,push']) }),
    );
    const challenge = parseBearerChallenge((await registry.fetch('/v2/test/token/manifests/v1')).headers.get('www-authenticate'));
    if (!challenge) throw new Error('no bearer challenge');
    const token = await fetchToken(challenge, `${credentials.user}:${credentials.password}`);
    const got = await getManifest(registry, 'test/token', 'v1', { Authorization: `Bearer ${token}` });
    expect(got.digest).toBe(fixture.single.manifest.digest);
  });

  it('refuses bad credentials at the token server', async () => {
    await expect(fetchToken({ realm: tokens.realm, service: tokens.service }, 'puller:nope')).rejects.toThrow(/answered 401/);
    await expect(pushOciLayout(fixture.dir, 'v1', registry.host, 'test/token', { creds: 'puller:nope' })).rejects.toThrow(/skopeo copy/);
  });

  it('refuses a token for another repository', async () => {
    const token = await fetchToken({ realm: tokens.realm, service: tokens.service, scope: 'repository:other:pull' }, 'puller:s3cret');
    const r = await registry.fetch('/v2/test/token/manifests/v1', { headers: { Authorization: `Bearer ${token}`, Accept: ACCEPT } });
    expect(r.status).toBe(401);
  });

  it('refuses a token signed by a key outside its bundle', async () => {
    const stranger = keep(await startTokenServer({ keyHeader, service: tokens.service, issuer: tokens.issuer }));
    const token = await fetchToken({ realm: stranger.realm, service: tokens.service, scope: 'repository:test/token:pull' });
    const r = await registry.fetch('/v2/test/token/manifests/v1', { headers: { Authorization: `Bearer ${token}`, Accept: ACCEPT } });
    expect(r.status).toBe(401);
    expect(registry.logs()).toMatch(keyHeader === 'kid' ? /token signed by untrusted key/ : /unable to verify certificate chain|x509/);
  });
});

describe('token helpers', () => {
  it('parses scopes whose names carry a port', () => {
    expect(parseScope('repository:127.0.0.1:5000/a/b:pull,push')).toEqual({ type: 'repository', name: '127.0.0.1:5000/a/b', actions: ['pull', 'push'] });
    expect(parseScope('registry:catalog:*')).toEqual({ type: 'registry', name: 'catalog', actions: ['*'] });
    expect(parseScope('nonsense')).toBeUndefined();
  });

  it('formats libtrust key IDs as 12 colon-separated base32 groups', () => {
    const pki = createTestPki(tempDir('imaged-pki-'));
    expect(libtrustKeyId(createPublicKey(pki.ca.keyPem))).toMatch(/^([A-Z2-7]{4}:){11}[A-Z2-7]{4}$/);
  });
});

describe('harness failures and OAuth', () => {
  it('reports the config and log when the registry cannot start', async () => {
    await expect(startRegistry({ tls: { cert: '/nonexistent/server.crt', key: '/nonexistent/server.key' } })).rejects.toThrow(
      /docker-registry exited with \d+[\s\S]*--- config ---[\s\S]*nonexistent[\s\S]*--- log ---/,
    );
  });

  it('issues tokens for an OAuth2 password grant (containerd POSTs when it has credentials)', async () => {
    const tokens = keep(await startTokenServer({ credentials: { user: 'u', password: 'p' } }));
    const form = (password: string) =>
      new URLSearchParams({ grant_type: 'password', username: 'u', password, service: tokens.service, scope: 'repository:a/b:pull', client_id: 'x' });
    const ok = await fetch(tokens.realm, { method: 'POST', body: form('p') });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual(expect.objectContaining({ access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), expires_in: 300 }));
    expect((await fetch(tokens.realm, { method: 'POST', body: form('bad') })).status).toBe(401);
    expect(tokens.requests().map((r) => [r.method, r.status])).toEqual([
      ['POST', 200],
      ['POST', 401],
    ]);
  });
});
