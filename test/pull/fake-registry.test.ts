/**
 * The registry client against scripted node:http registries, for what a real registry will not do:
 * wrong digests, oversized manifests, redirects to blob storage, ignored ranges, rate limits,
 * short or stalled bodies, missing headers, schema 1, and bearer-token bookkeeping.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { MAX_MANIFEST_BYTES } from '../../src/images/handlers/index.js';
import { createRegistryClient, type RegistryClient, type RegistryClientOptions, type RegistryEndpoint } from '../../src/pull/index.js';
import { buildImage } from '../support/oci-fixture.js';
import { collect, expectBytes, failure, startFake, type FakeServer, type SeenRequest } from './support.js';

const sha256 = (b: Uint8Array | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const image = buildImage({ layers: [{ randomBytes: 64 * 1024 }] });
const manifest = image.manifest;
const layer = image.layers[0]!;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const servers: FakeServer[] = [];
const clients: RegistryClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

const fake = async (handle: Handler): Promise<FakeServer> => {
  const s = await startFake(handle);
  servers.push(s);
  return s;
};

/** A plain-HTTP endpoint at `server` with all capabilities (no hosts.toml needed). */
const endpoint = (server: FakeServer, caps: RegistryEndpoint['capabilities'] = ['pull', 'resolve', 'push']): RegistryEndpoint => ({
  url: `${server.url}/v2`,
  capabilities: caps,
  skipVerify: false,
  headers: {},
  overridePath: false,
  httpFallback: false,
});

const client = (eps: readonly RegistryEndpoint[], options: RegistryClientOptions = {}): RegistryClient => {
  const c = createRegistryClient({ endpoints: async () => eps, retryDelayMs: 5, ...options });
  clients.push(c);
  return c;
};

/** Serves the fixture manifest under tag `v1` and by digest, and the layer blob; `override` can answer first. */
const registry = (override?: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => boolean): Promise<FakeServer> =>
  fake((req, res, seen) => {
    if (override?.(req, res, seen) === true) return;
    const path = (req.url ?? '').split('?')[0];
    if (path === '/v2/a/b/manifests/v1' || path === `/v2/a/b/manifests/${manifest.descriptor.digest}`) {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': manifest.descriptor.digest, 'content-length': manifest.bytes.length });
      return void res.end(req.method === 'HEAD' ? undefined : manifest.bytes);
    }
    if (path === `/v2/a/b/blobs/${layer.descriptor.digest}`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': layer.bytes.length });
      return void res.end(req.method === 'HEAD' ? undefined : layer.bytes);
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
  });

const ref = (s: FakeServer, tail = 'a/b:v1'): string => `${s.host}/${tail}`;

describe('content checks', () => {
  it('refuses a manifest whose bytes do not match its digest with FailedPrecondition', async () => {
    const tampered = Buffer.from(manifest.bytes);
    tampered[tampered.length - 2] = (tampered[tampered.length - 2] ?? 0) ^ 1;
    const s = await registry((req, res) => {
      if (req.method !== 'GET' || !(req.url ?? '').includes('/manifests/')) return false;
      res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(tampered);
      return true;
    });
    const c = client([endpoint(s)]);
    const resolved = await c.resolve(ref(s));
    expect(resolved.descriptor.digest).toBe(manifest.descriptor.digest);
    const err = await failure((await c.fetcher(resolved.reference)).fetchManifest(resolved.descriptor));
    expect(err.kind).toBe('FailedPrecondition');
    expect(err.message).toMatch(new RegExp(`manifest ${manifest.descriptor.digest} of ${s.host}/a/b from ${s.host} does not match its digest: got sha256:`));
    const byDigest = await failure(c.resolve(ref(s, `a/b@${manifest.descriptor.digest}`)).then(async (r) => (await c.fetcher(r.reference)).fetchManifest(r.descriptor)));
    expect(byDigest.kind).toBe('FailedPrecondition');
  });

  it('checks a digest reference against the body when it has to GET it', async () => {
    const other = Buffer.from('{"schemaVersion":2}');
    const s = await fake((req, res) => {
      // No Content-Length on HEAD, so the client must GET and hash.
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'transfer-encoding': 'chunked' });
      res.end(req.method === 'HEAD' ? undefined : other);
    });
    const err = await failure(client([endpoint(s)]).resolve(ref(s, `a/b@${manifest.descriptor.digest}`)));
    expect(err.kind).toBe('FailedPrecondition');
    expect(err.message).toContain(`expected ${manifest.descriptor.digest}, got ${sha256(other)}`);
  });

  it('refuses an oversized manifest with ResourceExhausted: by Content-Length, by body, and by descriptor', async () => {
    const big = MAX_MANIFEST_BYTES + 1;
    const byLength = await fake((_req, res) => res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': sha256('x'), 'content-length': big }).end());
    const e1 = await failure(client([endpoint(byLength)]).resolve(ref(byLength)));
    expect(e1.kind).toBe('ResourceExhausted');
    expect(e1.message).toBe(`the manifest of ${byLength.host}/a/b:v1 on ${byLength.host} is ${big} bytes, more than the ${MAX_MANIFEST_BYTES} imaged accepts`);

    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const byBody = await fake((req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST });
      if (req.method === 'HEAD') return void res.end();
      for (let i = 0; i < 5; i++) res.write(chunk);
      res.end();
    });
    const e2 = await failure(client([endpoint(byBody)]).resolve(ref(byBody)));
    expect(e2.kind).toBe('ResourceExhausted');
    expect(e2.message).toMatch(/is larger than the \d+ bytes imaged accepts/);

    const s = await registry();
    const f = await client([endpoint(s)]).fetcher(ref(s));
    const e3 = await failure(f.fetchManifest({ mediaType: OCI_MANIFEST, digest: sha256('x'), size: big }));
    expect(e3.kind).toBe('ResourceExhausted');
    expect(s.seen).toEqual([]);
  });

  it('refuses a manifest longer than its descriptor says', async () => {
    const s = await registry((req, res) => {
      if (!(req.url ?? '').includes('/manifests/')) return false;
      res.writeHead(200, { 'content-type': OCI_MANIFEST }).end(Buffer.concat([manifest.bytes, Buffer.from('  ')]));
      return true;
    });
    const f = await client([endpoint(s)]).fetcher(ref(s));
    const err = await failure(f.fetchManifest(manifest.descriptor));
    expect(err.kind).toBe('FailedPrecondition');
    expect(err.message).toMatch(/sent more than bytes for manifest .* whose descriptor says \d+/);
  });

  it('fails a blob stream whose bytes do not match at the end, and one that is cut short with the offset to resume from', async () => {
    const wrong = Buffer.from(layer.bytes);
    wrong[0] = (wrong[0] ?? 0) ^ 0xff;
    const s = await registry((req, res) => {
      if (!(req.url ?? '').includes('/blobs/')) return false;
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(wrong);
      return true;
    });
    const f = await client([endpoint(s)]).fetcher(ref(s));
    const mismatch = await failure(f.fetchBlob(layer.descriptor).then(collect));
    expect(mismatch.kind).toBe('FailedPrecondition');
    expect(mismatch.message).toMatch(new RegExp(`blob from ${s.host} does not match its digest: expected ${layer.descriptor.digest}, got sha256:`));
    // A caller that verifies the digest itself gets the bytes as sent (sizes are still checked).
    expectBytes(await collect(await f.fetchBlob(layer.descriptor, { verifyDigest: false })), wrong);

    const cut = await fake((_req, res) => res.writeHead(200).end(Buffer.from(layer.bytes).subarray(0, 1000)));
    const g = await client([endpoint(cut)]).fetcher(ref(cut));
    const short = await failure(g.fetchBlob(layer.descriptor).then(collect));
    expect(short.kind).toBe('Unavailable');
    expect(short.message).toContain(`ended after 1000 of ${layer.descriptor.size} bytes; fetch again from offset 1000 to resume`);
  });

  it('refuses a document served without a media type that is not a manifest', async () => {
    const s = await fake((req, res) => res.writeHead(200).end(req.method === 'HEAD' ? undefined : '<html>login</html>'));
    const err = await failure(client([endpoint(s)]).resolve(ref(s)));
    expect(err.kind).toBe('FailedPrecondition');
    expect(err.message).toBe(`${s.host} served ${s.host}/a/b:v1 without a media type, and the document is not a manifest`);
  });

  it('refuses Docker schema 1 with Unimplemented', async () => {
    const s = await fake((_req, res) => res.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'docker-content-digest': sha256('x'), 'content-length': 1 }).end());
    const err = await failure(client([endpoint(s)]).resolve(ref(s)));
    expect(err.kind).toBe('Unimplemented');
    expect(err.message).toMatch(/schema 1 image.*rebuild it/);
  });
});

describe('protocol details', () => {
  it('GETs and hashes the manifest when HEAD has no digest or type, and decodes a gzip body', async () => {
    const s = await fake((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(200).end();
      res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(manifest.bytes));
    });
    const resolved = await client([endpoint(s)]).resolve(ref(s));
    expect(resolved.descriptor).toEqual({ mediaType: OCI_MANIFEST, digest: manifest.descriptor.digest, size: manifest.bytes.length, annotations: {} });
    expect(s.seen.map((r) => [r.method, r.headers.accept])).toEqual([
      ['HEAD', 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, */*'],
      ['GET', expect.any(String)],
    ]);
  });

  it('switches to GET when a registry refuses HEAD on manifests', async () => {
    const s = await registry((req, res) => {
      if (req.method !== 'HEAD') return false;
      res.writeHead(405).end();
      return true;
    });
    expect((await client([endpoint(s)]).resolve(ref(s))).descriptor.digest).toBe(manifest.descriptor.digest);
    expect(s.seen.map((r) => r.method)).toEqual(['HEAD', 'GET']);
  });

  it('follows a redirect to blob storage without sending it the registry credentials', async () => {
    const storage = await fake((req, res) => res.writeHead(200, { 'content-length': layer.bytes.length }).end(req.method === 'HEAD' ? undefined : layer.bytes));
    const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
    const s = await registry((req, res) => {
      if (req.headers.authorization !== basic) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' }).end();
        return true;
      }
      if (!(req.url ?? '').includes('/blobs/')) return false;
      res.writeHead(307, { location: `${storage.url}/storage/blob?sig=abc` }).end();
      return true;
    });
    const f = await client([endpoint(s)], { credentials: () => ({ username: 'u', password: 'p' }) }).fetcher(ref(s));
    expectBytes(await collect(await f.fetchBlob(layer.descriptor)), layer.bytes);
    expect(storage.seen).toHaveLength(1);
    expect(storage.seen[0]?.url).toBe('/storage/blob?sig=abc');
    expect(storage.seen[0]?.headers.authorization).toBeUndefined();
    expect(s.seen.map((r) => r.headers.authorization ?? 'none')).toEqual(['none', basic]);
  });

  it('resumes from an offset when the server ignores Range, dropping the leading bytes', async () => {
    const s = await registry();
    const f = await client([endpoint(s)]).fetcher(ref(s));
    const stream = await f.fetchBlob(layer.descriptor, { offset: 5000 });
    expectBytes(await collect(stream), Buffer.from(layer.bytes).subarray(5000));
    expect(s.seen[0]?.headers.range).toBe('bytes=5000-');
  });

  it('refuses a range answer that starts elsewhere', async () => {
    const s = await fake((_req, res) => res.writeHead(206, { 'content-range': `bytes 0-99/${layer.bytes.length}` }).end(Buffer.from(layer.bytes).subarray(0, 100)));
    const f = await client([endpoint(s)]).fetcher(ref(s));
    expect((await failure(f.fetchBlob(layer.descriptor, { offset: 10 }))).message).toMatch(/unexpected range/);
    await expect(f.fetchBlob(layer.descriptor, { offset: layer.descriptor.size + 1 })).rejects.toMatchObject({ kind: 'OutOfRange' });
  });

  it('retries 429 (honouring Retry-After) and then gives up with Unavailable', async () => {
    let left = 2;
    const s = await registry((_req, res) => {
      if (left-- <= 0) return false;
      res.writeHead(429, { 'retry-after': '0' }).end();
      return true;
    });
    expect((await client([endpoint(s)]).resolve(ref(s))).descriptor.digest).toBe(manifest.descriptor.digest);
    const always = await fake((_req, res) => res.writeHead(429, { 'content-type': 'application/json' }).end('{"errors":[{"code":"TOOMANYREQUESTS","message":"pull rate limit"}]}'));
    const err = await failure(client([endpoint(always)]).resolve(ref(always)));
    expect(err.kind).toBe('Unavailable');
    expect(err.message).toBe(`${always.host} is rate limiting requests for image ${always.host}/a/b:v1 (HTTP 429); try again later`);
    expect(always.seen).toHaveLength(4);
  });

  it('moves past a failing mirror at once and retries a 503 once on the last endpoint', async () => {
    const mirror = await fake((_req, res) => res.writeHead(500).end());
    const server = await fake((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAVAILABLE","message":"down for maintenance"}]}'));
    const err = await failure(client([endpoint(mirror), endpoint(server)]).fetcher(ref(server)).then((f) => f.fetchManifest(manifest.descriptor)));
    expect(err.kind).toBe('Unavailable');
    expect(mirror.seen).toHaveLength(1);
    expect(server.seen).toHaveLength(2);
    expect(err.message).toMatch(/answered HTTP (500|503)/);
  });

  it("quotes the registry's error message for a 403", async () => {
    const s = await fake((_req, res) => res.writeHead(403, { 'content-type': 'application/json' }).end('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}'));
    const f = await client([endpoint(s)]).fetcher(ref(s));
    const err = await failure(f.fetchManifest(manifest.descriptor));
    expect(err.kind).toBe('PermissionDenied');
    expect(err.message).toContain('requested access to the resource is denied');
  });

  it('sends hosts.toml headers and the User-Agent', async () => {
    const s = await registry();
    const ep = { ...endpoint(s), headers: { 'x-mirror-key': ['k1'], 'x-multi': ['a', 'b'] } };
    await client([ep], { userAgent: 'imaged/test' }).resolve(ref(s));
    expect(s.seen[0]?.headers).toMatchObject({ 'x-mirror-key': 'k1', 'x-multi': 'a, b', 'user-agent': 'imaged/test' });
    await client([{ ...endpoint(s), headers: { 'User-Agent': ['custom/1'] } }], { userAgent: 'imaged/test' }).resolve(ref(s));
    expect(s.seen.at(-1)?.headers['user-agent']).toBe('custom/1');
  });

  it('stops at a mirror whose CA file is missing instead of falling back past a broken configuration', async () => {
    const s = await registry();
    const broken = { ...endpoint(s), url: `https://${s.host}/v2`, ca: ['/nonexistent/ca.crt'] };
    const err = await failure(client([broken, endpoint(s)]).resolve(ref(s)));
    expect(err.kind).toBe('InvalidArgument');
    expect(err.message).toBe('cannot read CA file /nonexistent/ca.crt named in hosts.toml: ENOENT');
    expect(s.seen).toEqual([]);
  });

  it('fails with Canceled when the caller aborts, without trying other endpoints', async () => {
    const slow = await fake(() => undefined);
    const other = await registry();
    const controller = new AbortController();
    const pending = client([endpoint(slow), endpoint(other)]).resolve(ref(other), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).kind).toBe('Canceled');
    expect(other.seen).toEqual([]);
  });

  it('fails a stalled blob with DeadlineExceeded', async () => {
    const s = await fake((_req, res) => {
      res.writeHead(200, { 'content-length': layer.bytes.length });
      res.write(Buffer.from(layer.bytes).subarray(0, 10));
    });
    const f = await client([endpoint(s)], { stallTimeoutMs: 100 }).fetcher(ref(s));
    const err = await failure(f.fetchBlob(layer.descriptor).then(collect));
    expect(err.kind).toBe('DeadlineExceeded');
    expect(err.message).toMatch(/sent no data for blob sha256:\w+ for 0.1 s/);
  });

  it('releases the connection when a blob stream is closed early', async () => {
    const s = await registry();
    const f = await client([endpoint(s)]).fetcher(ref(s));
    const stream = await f.fetchBlob(layer.descriptor);
    stream.close();
    expect(await collect(stream)).toHaveLength(0);
    expectBytes(await collect(await f.fetchBlob(layer.descriptor)), layer.bytes);
  });
});

describe('bearer tokens', () => {
  /** A token server that logs requests and answers with `answer` (status and body) or a fresh token. */
  const tokenServer = async (answer?: (r: SeenRequest) => [number, unknown] | undefined, expiresIn = 300) => {
    let n = 0;
    return fake((_req, res, seen) => {
      const a = answer?.(seen);
      if (a !== undefined) return void res.writeHead(a[0], { 'content-type': 'application/json' }).end(JSON.stringify(a[1]));
      n++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `tok-${n}`, expires_in: expiresIn }));
    });
  };
  /** A registry that wants `Bearer tok-*` from the realm at `tokens`. */
  const bearerRegistry = (tokens: FakeServer) =>
    registry((req, res) => {
      if (/^Bearer tok-\d+$/.test(req.headers.authorization ?? '')) return false;
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokens.url}/token",service="fake-registry",scope="repository:a/b:pull"` }).end();
      return true;
    });

  it('fetches one anonymous token per scope and reuses it', async () => {
    const tokens = await tokenServer();
    const s = await bearerRegistry(tokens);
    const c = client([endpoint(s)]);
    const resolved = await c.resolve(ref(s));
    const f = await c.fetcher(resolved.reference);
    await f.fetchManifest(resolved.descriptor);
    await collect(await f.fetchBlob(layer.descriptor));
    expect(tokens.seen.map((r) => `${r.method} ${r.url}`)).toEqual(['GET /token?service=fake-registry&scope=repository%3Aa%2Fb%3Apull']);
    expect(s.seen.map((r) => r.headers.authorization ?? 'none')).toEqual(['none', 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-1']);
  });

  it('fetches a new token once the old one has expired', async () => {
    const tokens = await tokenServer(undefined, 1);
    const s = await bearerRegistry(tokens);
    const c = client([endpoint(s)]);
    await c.resolve(ref(s));
    await c.resolve(ref(s));
    expect(tokens.seen).toHaveLength(1);
    // A 1 s token is used for half its life when that is shorter than the 10 s safety margin.
    await new Promise((r) => setTimeout(r, 600));
    await c.resolve(ref(s));
    expect(tokens.seen).toHaveLength(2);
  });

  it('POSTs a refresh_token grant for an identity token and falls back to GET on 404', async () => {
    const tokens = await tokenServer((r) => (r.method === 'POST' ? [404, { error: 'not_found' }] : undefined));
    const s = await bearerRegistry(tokens);
    await client([endpoint(s)], { credentials: () => ({ identityToken: 'refresh-me' }) }).resolve(ref(s));
    const [post, get] = tokens.seen;
    expect(post?.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(post?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-me',
      service: 'fake-registry',
      scope: 'repository:a/b:pull',
      client_id: 'imaged',
    });
    expect(get?.method).toBe('GET');
    expect(get?.headers.authorization).toBe(`Basic ${Buffer.from(':refresh-me').toString('base64')}`);
  });

  it('POSTs a password grant and uses its access token', async () => {
    const tokens = await tokenServer();
    const s = await bearerRegistry(tokens);
    await client([endpoint(s)], { credentials: () => ({ username: 'me', password: 'pw' }) }).resolve(ref(s));
    expect(tokens.seen).toHaveLength(1);
    expect(Object.fromEntries(new URLSearchParams(tokens.seen[0]?.body))).toMatchObject({ grant_type: 'password', username: 'me', password: 'pw' });
  });

  it('does not fall back to GET when the POST fails with another status, and hides an echoed secret', async () => {
    const tokens = await tokenServer(() => [403, { errors: [{ code: 'DENIED', message: 'password pw-echo is locked' }] }]);
    const s = await bearerRegistry(tokens);
    const err = await failure(client([endpoint(s)], { credentials: () => ({ username: 'me', password: 'pw-echo' }) }).resolve(ref(s)));
    expect(err.kind).toBe('PermissionDenied');
    expect(err.message).toContain('password *** is locked');
    expect(tokens.seen.map((r) => r.method)).toEqual(['POST']);
  });

  it('refetches a token the registry stops accepting, then reports PermissionDenied', async () => {
    const tokens = await tokenServer();
    const s = await registry((req, res) => {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${tokens.url}/token",service="fake",error="insufficient_scope"`, 'content-type': 'application/json' });
      res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
      return req !== undefined;
    });
    const err = await failure(client([endpoint(s)]).resolve(ref(s)));
    expect(err.kind).toBe('PermissionDenied');
    expect(err.message).toBe(`pull access denied for image ${s.host}/a/b:v1 on ${s.host}: authentication required: the repository does not exist or the credentials do not allow pulling it`);
    expect(tokens.seen).toHaveLength(2);
  });
});
