import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImagedError } from '../../src/errdefs/index.js';
import {
  endpointsFromEntries,
  hostDirNames,
  isLocalhost,
  parseHostsToml,
  registryEndpoints,
  type RegistryEndpoint,
} from '../../src/pull/index.js';
import { parseGoDuration } from '../../src/duration/index.js';
import { tempDir } from '../support/temp-dir.js';

const FILE = '/etc/imaged/certs.d/example.com/hosts.toml';
const DIR = '/etc/imaged/certs.d/example.com';

/** Parses `toml` as the hosts.toml of example.com and applies the defaults. */
const endpoints = (toml: string, host = 'example.com'): RegistryEndpoint[] => endpointsFromEntries(host, parseHostsToml(toml, FILE, DIR));

const invalid = (toml: string): ImagedError => {
  try {
    parseHostsToml(toml, FILE, DIR);
  } catch (err) {
    expect(err).toBeInstanceOf(ImagedError);
    expect((err as ImagedError).kind).toBe('InvalidArgument');
    return err as ImagedError;
  }
  throw new Error('expected InvalidArgument');
};

const ALL = ['pull', 'resolve', 'push'];

describe('hosts.toml parsing', () => {
  it('turns the documented mirror example into ordered endpoints, server last', () => {
    const eps = endpoints(`
server = "https://registry-1.docker.io"    # upstream last

[host."https://public-mirror.example.com"]
  capabilities = ["pull"]
[host."https://docker-mirror.internal"]
  capabilities = ["pull", "resolve"]
  ca = "docker-mirror.crt"
`);
    expect(eps.map((e) => [e.url, e.capabilities])).toEqual([
      ['https://public-mirror.example.com/v2', ['pull']],
      ['https://docker-mirror.internal/v2', ['pull', 'resolve']],
      ['https://registry-1.docker.io/v2', ALL],
    ]);
    expect(eps[1]?.ca).toEqual([join(DIR, 'docker-mirror.crt')]);
    expect(eps[0]?.ca).toBeUndefined();
  });

  it('keeps host tables in file order even when their names would sort differently', () => {
    const eps = endpoints(`
[host."https://zzz.example"]
[host."https://aaa.example"]
[host."https://mmm.example"]
`);
    expect(eps.map((e) => e.url)).toEqual(['https://zzz.example/v2', 'https://aaa.example/v2', 'https://mmm.example/v2', 'https://example.com/v2']);
  });

  it.each([
    ['server = "https://r.example"', 'https://r.example/v2'],
    ['server = "r.example:5000"', 'https://r.example:5000/v2'],
    ['server = "http://127.0.0.1:5000"', 'http://127.0.0.1:5000/v2'],
    ['server = "https://r.example/"', 'https://r.example/v2'],
    ['server = "https://r.example/v2"', 'https://r.example/v2'],
    ['server = "https://r.example/v2/"', 'https://r.example/v2'],
    ['server = "https://r.example/proxy/docker"', 'https://r.example/proxy/docker/v2'],
    ['server = "https://r.example/custom/api"\noverride_path = true', 'https://r.example/custom/api'],
    ['server = "https://r.example"\noverride_path = true', 'https://r.example'],
    ['server = "https://[::1]:5000"', 'https://[::1]:5000/v2'],
    ['server = "HTTPS://R.Example"', 'https://r.example/v2'],
  ])('%j → %s', (toml, url) => {
    const eps = endpoints(toml);
    expect(eps).toHaveLength(1);
    expect(eps[0]?.url).toBe(url);
    expect(eps[0]?.httpFallback).toBe(false);
  });

  it('reads every per-host setting', () => {
    const [ep] = endpoints(`
[host."https://mirror.example:8443/prefix"]
  capabilities = ["PULL", "resolve", "pull"]
  skip_verify = true
  ca = ["/abs/ca.pem", "rel/ca2.pem"]
  client = [["client.cert", "client.key"], "combined.pem", ["only.cert", ""]]
  override_path = false
  dial_timeout = "1m30.5s"
  [host."https://mirror.example:8443/prefix".header]
    x-one = "a"
    X-Many = ["b", "c"]
`);
    expect(ep).toEqual({
      url: 'https://mirror.example:8443/prefix/v2',
      capabilities: ['pull', 'resolve'],
      skipVerify: true,
      ca: ['/abs/ca.pem', join(DIR, 'rel/ca2.pem')],
      clientCerts: [
        { cert: join(DIR, 'client.cert'), key: join(DIR, 'client.key') },
        { cert: join(DIR, 'combined.pem') },
        { cert: join(DIR, 'only.cert') },
      ],
      headers: { 'x-one': ['a'], 'X-Many': ['b', 'c'] },
      overridePath: false,
      dialTimeoutMs: 90_500,
      httpFallback: false,
    });
  });

  it('applies top-level settings to the server entry', () => {
    const [ep] = endpoints('server = "https://r.example"\nca = "ca.crt"\ncapabilities = ["pull"]\n[header]\nx-a = "1"');
    expect(ep).toMatchObject({ ca: [join(DIR, 'ca.crt')], capabilities: ['pull'], headers: { 'x-a': ['1'] } });
  });

  it('treats an empty capabilities list as all capabilities, as containerd does', () => {
    expect(endpoints('server = "https://r.example"\ncapabilities = []')[0]?.capabilities).toEqual(ALL);
  });

  it('tries HTTPS first for an http:// host that has TLS settings, except on port 80', () => {
    const eps = endpoints(`
[host."http://a.example:5000"]
  skip_verify = true
[host."http://b.example:80"]
  skip_verify = true
[host."http://c.example:5000"]
`);
    expect(eps.slice(0, 3).map((e) => [e.url, e.httpFallback])).toEqual([
      ['https://a.example:5000/v2', true],
      ['http://b.example:80/v2', false],
      ['http://c.example:5000/v2', false],
    ]);
  });

  it.each([
    ['server = ', /hosts\.toml: not valid TOML at line 1, column \d+/],
    ['[host."https://a"]\n[host."https://a"]', /not valid TOML at line 2/],
    ['servr = "https://x"', /hosts\.toml: servr: unknown key/],
    ['proxy = "http://p:8080"', /proxy: proxies are not supported/],
    ['[host."https://m"]\n  capabilites = ["pull"]', /host\."https:\/\/m"\.capabilites: unknown key/],
    ['[host."https://m"]\n  server = "https://x"', /host\."https:\/\/m"\.server: unknown key/],
    ['[host."https://m"]\n  capabilities = ["pul"]', /host\."https:\/\/m"\.capabilities: unknown capability "pul"/],
    ['capabilities = "pull"', /capabilities: expected an array/],
    ['skip_verify = "yes"', /skip_verify: expected true or false, got a string/],
    ['override_path = 1', /override_path: expected true or false, got a number/],
    ['ca = 3', /ca: expected a path or an array of paths/],
    ['ca = ["a", 1]', /ca\[1\]: expected a string/],
    ['client = [["a", "b", "c"]]', /client\[0\]: expected a path or a \["cert", "key"\] pair/],
    ['header = "x"', /header: expected a table/],
    ['[header]\nx-a = 1', /header\.x-a: expected a string or an array of strings/],
    ['[header]\n"bad header" = "v"', /header\."bad header": not a valid HTTP header name/],
    ['dial_timeout = "soon"', /dial_timeout: expected a duration/],
    ['dial_timeout = 5', /dial_timeout: expected a duration string/],
    ['server = "ftp://x"', /server: scheme must be http or https/],
    ['server = "https://x?a=b"', /server: must not have a query or fragment/],
    ['host = 3', /host: expected tables/],
    ['[host]\n"https://m" = 3', /host\."https:\/\/m": expected a table/],
    ['server = 5', /server: expected a URL string/],
    ['when = 1979-05-27', /when: unknown key/],
  ])('%j is InvalidArgument naming the file and key', (toml, message) => {
    const err = invalid(toml);
    expect(err.message).toMatch(message);
    expect(err.message.startsWith(`${FILE}:`)).toBe(true);
  });

  it('never echoes a header value or URL credentials in its messages', () => {
    expect(invalid('[header]\nAuthorization = ["Bearer s3cr3t", 7]').message).not.toContain('s3cr3t');
    expect(invalid('server = "https://user:hunter2@r.example"').message).not.toContain('hunter2');
    expect(invalid('x = "hunter2" junk').message).not.toContain('hunter2');
  });

  it('accepts any string as a config or rejects it with InvalidArgument', () => {
    const fragments = fc.constantFrom(
      'server = "https://r.example"\n',
      '[host."https://m.example"]\n',
      'capabilities = ["pull"]\n',
      'skip_verify = true\n',
      'ca = "ca.crt"\n',
      '[header]\n',
      'x-a = "1"\n',
      'override_path = true\n',
      'dial_timeout = "1s"\n',
      '"',
      '[',
      ']',
      '=',
      '\n',
      '#',
    );
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.array(fragments, { maxLength: 12 }).map((a) => a.join('')));
    fc.assert(
      fc.property(text, (s) => {
        try {
          const eps = endpoints(s);
          expect(eps.length).toBeGreaterThan(0);
          for (const ep of eps) expect(() => new URL(ep.url)).not.toThrow();
        } catch (err) {
          expect(err).toBeInstanceOf(ImagedError);
          expect((err as ImagedError).kind).toBe('InvalidArgument');
          expect((err as ImagedError).message.startsWith(`${FILE}:`)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('defaults without hosts.toml', () => {
  it.each([
    ['docker.io', 'https://registry-1.docker.io/v2', false, false],
    ['ghcr.io', 'https://ghcr.io/v2', false, false],
    ['registry.example:5000', 'https://registry.example:5000/v2', false, false],
    ['localhost', 'https://localhost/v2', true, false],
    ['localhost:443', 'https://localhost:443/v2', true, false],
    ['127.0.0.1:5000', 'https://127.0.0.1:5000/v2', true, true],
    ['localhost:80', 'http://localhost:80/v2', false, false],
    ['[::1]:5000', 'https://[::1]:5000/v2', true, true],
  ])('%s → %s (skipVerify %s, httpFallback %s)', (host, url, skipVerify, httpFallback) => {
    expect(endpointsFromEntries(host, undefined)).toEqual([
      { url, capabilities: ALL, skipVerify, headers: {}, overridePath: false, httpFallback },
    ]);
  });

  it('fills a hosts.toml without server with the registry host itself, after the mirrors', () => {
    const eps = endpoints('[host."https://mirror.example"]\n  capabilities = ["pull"]\n', 'docker.io');
    expect(eps.map((e) => e.url)).toEqual(['https://mirror.example/v2', 'https://registry-1.docker.io/v2']);
  });

  it('recognises loopback hosts', () => {
    expect(['localhost', 'localhost:5000', '127.0.0.1', '127.9.9.9:1', '[::1]:5000', '::1'].every(isLocalhost)).toBe(true);
    expect(['example.com', '10.0.0.1:5000', '128.0.0.1', 'localhost.example'].some(isLocalhost)).toBe(false);
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('1s')).toBe(1000);
    expect(parseGoDuration('1h2m3s')).toBe(3_723_000);
    expect(parseGoDuration('250ms')).toBe(250);
    expect(parseGoDuration('1.5us')).toBeCloseTo(0.0015);
    expect(parseGoDuration('0')).toBe(0);
    for (const bad of ['', '1', 's', '-1s', '1 s', '1d']) expect(parseGoDuration(bad)).toBeUndefined();
  });
});

describe('host directory lookup', () => {
  it('tries host_port_, host:port, then _default, as containerd documents', () => {
    expect(hostDirNames('myregistry.io:5000')).toEqual(['myregistry.io_5000_', 'myregistry.io:5000', '_default']);
    expect(hostDirNames('docker.io')).toEqual(['docker.io', '_default']);
    expect(hostDirNames('[::1]:5000')).toEqual(['[::1]_5000_', '[::1]:5000', '_default']);
  });

  it('loads the first directory that exists and resolves relative paths against it', async () => {
    const root = tempDir('imaged-certsd-');
    mkdirSync(join(root, 'r.example:5000'));
    writeFileSync(join(root, 'r.example:5000', 'hosts.toml'), 'server = "https://colon.example"\nca = "ca.crt"\n');
    expect((await registryEndpoints('r.example:5000', { configDir: root })).map((e) => [e.url, e.ca])).toEqual([
      ['https://colon.example/v2', [join(root, 'r.example:5000', 'ca.crt')]],
    ]);
    mkdirSync(join(root, 'r.example_5000_'));
    writeFileSync(join(root, 'r.example_5000_', 'hosts.toml'), 'server = "https://underscore.example"\n');
    expect((await registryEndpoints('r.example:5000', { configDir: root }))[0]?.url).toBe('https://underscore.example/v2');
  });

  it('falls back to _default, then to the built-in defaults', async () => {
    const root = tempDir('imaged-certsd-');
    expect((await registryEndpoints('other.example', { configDir: root }))[0]?.url).toBe('https://other.example/v2');
    mkdirSync(join(root, '_default'));
    writeFileSync(join(root, '_default', 'hosts.toml'), '[host."https://mirror.example"]\n  capabilities = ["pull", "resolve"]\n');
    expect((await registryEndpoints('other.example', { configDir: root })).map((e) => e.url)).toEqual([
      'https://mirror.example/v2',
      'https://other.example/v2',
    ]);
  });

  it("reads Docker's certificate files when the directory has no hosts.toml", async () => {
    const root = tempDir('imaged-certsd-');
    const dir = join(root, 'r.example');
    mkdirSync(dir);
    for (const f of ['ca.crt', 'client.cert', 'client.key', 'lone.cert', 'notes.txt']) writeFileSync(join(dir, f), '');
    expect(await registryEndpoints('r.example', { configDir: root })).toEqual([
      {
        url: 'https://r.example/v2',
        capabilities: ALL,
        skipVerify: false,
        ca: [join(dir, 'ca.crt')],
        clientCerts: [{ cert: join(dir, 'client.cert'), key: join(dir, 'client.key') }, { cert: join(dir, 'lone.cert') }],
        headers: {},
        overridePath: false,
        httpFallback: false,
      },
    ]);
  });

  it('reports a malformed hosts.toml with its path', async () => {
    const root = tempDir('imaged-certsd-');
    mkdirSync(join(root, 'r.example'));
    writeFileSync(join(root, 'r.example', 'hosts.toml'), '[host."https://m"]\n  skipverify = true\n');
    await expect(registryEndpoints('r.example', { configDir: root })).rejects.toMatchObject({
      kind: 'InvalidArgument',
      message: `${join(root, 'r.example', 'hosts.toml')}: host."https://m".skipverify: unknown key (expected one of capabilities, ca, client, skip_verify, header, override_path, dial_timeout)`,
    });
  });

  it('refuses registry hosts that could escape the config directory', async () => {
    for (const host of ['../etc', 'a/b', '', 'host:99999', '-x.example']) {
      await expect(registryEndpoints(host, { configDir: '/nonexistent' })).rejects.toMatchObject({ kind: 'InvalidArgument' });
    }
  });
});
