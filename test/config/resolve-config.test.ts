import fc from 'fast-check';
import { parse as parseToml } from 'smol-toml';
import { renderConfig, resolveConfig, SETTINGS, type ImagedConfig } from '../../src/config/index.js';
import { ImagedError } from '../../src/errdefs/index.js';

const FILE = '/etc/imaged/config.toml';
const defaults = (): ImagedConfig => resolveConfig({}, undefined, FILE);
const fromToml = (toml: string, flags = {}): ImagedConfig => resolveConfig(flags, parseToml(toml), FILE);
const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ImagedError);
    expect((err as ImagedError).kind).toBe('InvalidArgument');
    return (err as Error).message;
  }
  throw new Error('expected InvalidArgument');
};

test('defaults: socket under the data directory default, containerd-like CRI settings', () => {
  const config = defaults();
  expect(config.criNamespace).toBe('k8s.io');
  expect(config.sandboxImage).toBe('registry.k8s.io/pause:3.10');
  expect(config.maxConcurrentDownloads).toBe(3);
  expect(config.pullProgressTimeout).toBe(300_000);
  expect(config.socketMode).toBe(0o660);
  expect(config.tcpAddress).toBeUndefined();
  expect(resolveConfig({ root: '/data/x' }, undefined, FILE).address).toBe(process.getuid?.() === 0 ? '/run/imaged/imaged.sock' : '/data/x/imaged.sock');
});

test('the file sets values, flags override the file, lists replace', () => {
  const toml = `version = 1
root = "/srv/imaged"
[grpc]
tcp_address = "127.0.0.1:7070"
socket_mode = "0600"
[cri]
pinned_images = ["busybox", "registry.k8s.io/*"]
image_pull_progress_timeout = "90s"
[cri.registry]
config_path = "/srv/certs.d"
[gc]
startup_delay = "2s"
`;
  const config = fromToml(toml);
  expect(config.root).toBe('/srv/imaged');
  expect(config.tcpAddress).toBe('127.0.0.1:7070');
  expect(config.socketMode).toBe(0o600);
  expect(config.pinnedImages).toEqual(['busybox', 'registry.k8s.io/*']);
  expect(config.pullProgressTimeout).toBe(90_000);
  expect(config.registryConfigDir).toBe('/srv/certs.d');
  expect(config.gcStartupDelay).toBe(2000);
  const overridden = fromToml(toml, { tcp: '', 'pinned-image': ['alpine'], 'max-concurrent-downloads': '8', 'socket-mode': '640' });
  expect(overridden.tcpAddress).toBeUndefined();
  expect(overridden.pinnedImages).toEqual(['alpine']);
  expect(overridden.maxConcurrentDownloads).toBe(8);
  expect(overridden.socketMode).toBe(0o640);
});

test.each([
  ['[grpc]\nadress = "/x"', /unknown key grpc\.adress \(known in \[grpc\]: address, socket_group, /],
  ['sandbox = "x"', /unknown key sandbox \(known at the top: version, root, \[grpc\], \[cri\], \[gc\], \[metrics\], \[log\]\)/],
  ['[nope]\nx = 1', /unknown key nope/],
  ['version = 2', /version: expected 1, got 2/],
  ['[cri]\nmax_concurrent_downloads = 0', /cri\.max_concurrent_downloads: expected a whole number from 1 to 999, got 0/],
  ['[cri]\nimage_pull_progress_timeout = "5 minutes"', /cri\.image_pull_progress_timeout: expected a duration/],
  ['[cri]\npinned_images = ["Bad Ref"]', /cri\.pinned_images: expected a list of image references/],
  ['[grpc]\nsocket_mode = "0999"', /grpc\.socket_mode: expected an octal file mode/],
  ['[grpc]\ntcp_address = "7070"', /grpc\.tcp_address: expected HOST:PORT/],
  ['[log]\nlevel = "loud"', /log\.level: expected one of "debug", "info", "warn", "error", got "loud"/],
  ['cri = 3', /unknown key cri/],
])('file %j is refused naming the key', (toml, message) => {
  expect(failure(() => fromToml(toml))).toMatch(message);
  expect(failure(() => fromToml(toml))).toContain(FILE);
});

test.each([
  [{ 'max-concurrent-downloads': '1e3' }, /--max-concurrent-downloads "1e3": expected a whole number/],
  [{ 'pull-progress-timeout': '10' }, /--pull-progress-timeout "10": expected a duration/],
  [{ 'sandbox-image': 'Bad Ref' }, /--sandbox-image "Bad Ref": expected an image reference/],
  [{ 'cri-namespace': 'bad ns' }, /--cri-namespace "bad ns": expected a namespace name/],
  [{ root: '' }, /--root "": expected a directory path/],
])('flag %j is refused naming the flag', (flags, message) => {
  expect(failure(() => resolveConfig(flags, undefined, FILE))).toMatch(message);
});

test('the rendered default file reads back as the defaults, and a dump of any config reads back as it', () => {
  expect(fromToml(renderConfig(defaults()))).toEqual(defaults());
  const custom = fromToml('[cri]\npinned_images = ["a", "b/*"]\n[grpc]\ntcp_address = "[::1]:1"\nsocket_group = "imaged"\n');
  expect(fromToml(renderConfig(custom))).toEqual(custom);
  // Every setting is documented in the file with its flag.
  const text = renderConfig(defaults());
  for (const setting of Object.values(SETTINGS)) expect(text).toContain(`(flag --${setting.flag})`);
});

test('any TOML value under any known key gives a config or InvalidArgument naming that key', () => {
  const keys = Object.values(SETTINGS).map((s) => s.key);
  const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }), fc.double({ noNaN: true }));
  fc.assert(
    fc.property(fc.constantFrom(...keys), value, (key, raw) => {
      const table: Record<string, unknown> = {};
      const parts = key.split('.');
      let at = table;
      for (const part of parts.slice(0, -1)) at = (at[part] = {}) as Record<string, unknown>;
      at[parts.at(-1)!] = raw;
      try {
        resolveConfig({}, table, FILE);
      } catch (err) {
        expect((err as ImagedError).kind).toBe('InvalidArgument');
        expect((err as Error).message).toContain(key);
      }
    }),
    { numRuns: 3000 },
  );
});
