import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import {
  formatPlatform,
  formatPlatformShort,
  hostArch,
  hostCpuVariant,
  hostOs,
  normalizePlatform,
  parsePlatform,
  platformMatcher,
  tryParsePlatform,
  type Platform,
} from '../../src/platforms/index.js';

const host = hostOs();
const arch = hostArch();
const hostVariant = arch === 'arm' && hostCpuVariant() !== 'v7' ? hostCpuVariant() : '';
const withHostArch = (os: string, extra: Partial<Platform> = {}): Platform => ({
  os,
  architecture: arch,
  ...(hostVariant === '' ? {} : { variant: hostVariant }),
  ...extra,
});
const join = (...parts: string[]): string => parts.filter((p) => p !== '').join('/');

// Vectors from containerd/platforms TestParseSelector: input, parsed platform, platforms the
// exact matcher must accept, formatted output.
test.each<[string, Platform, Platform[], string]>([
  [
    'linux/arm64',
    { os: 'linux', architecture: 'arm64' },
    [
      { os: 'linux', architecture: 'aarch64' },
      { os: 'linux', architecture: 'aarch64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ],
    'linux/arm64',
  ],
  [
    'linux/arm64/v8',
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    [
      { os: 'linux', architecture: 'aarch64' },
      { os: 'linux', architecture: 'aarch64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64' },
    ],
    'linux/arm64/v8',
  ],
  [
    'linux/arm',
    { os: 'linux', architecture: 'arm' },
    [
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      { os: 'linux', architecture: 'armhf' },
      { os: 'linux', architecture: 'arm', variant: '7' },
    ],
    'linux/arm',
  ],
  ['linux/arm/v6', { os: 'linux', architecture: 'arm', variant: 'v6' }, [{ os: 'linux', architecture: 'armel' }], 'linux/arm/v6'],
  [
    'linux/arm/v7',
    { os: 'linux', architecture: 'arm', variant: 'v7' },
    [
      { os: 'linux', architecture: 'arm' },
      { os: 'linux', architecture: 'armhf' },
    ],
    'linux/arm/v7',
  ],
  ['arm', { os: host, architecture: 'arm' }, [], join(host, 'arm')],
  ['armel', { os: host, architecture: 'arm', variant: 'v6' }, [], join(host, 'arm/v6')],
  ['armhf', { os: host, architecture: 'arm' }, [], join(host, 'arm')],
  ['Aarch64', { os: host, architecture: 'arm64' }, [], join(host, 'arm64')],
  ['x86_64', { os: host, architecture: 'amd64' }, [], join(host, 'amd64')],
  ['Linux/x86_64', { os: 'linux', architecture: 'amd64' }, [], 'linux/amd64'],
  ['i386', { os: host, architecture: '386' }, [], join(host, '386')],
  ['linux', withHostArch('linux'), [], join('linux', arch, hostVariant)],
  ['s390x', { os: host, architecture: 's390x' }, [], join(host, 's390x')],
  ['linux/s390x', { os: 'linux', architecture: 's390x' }, [], 'linux/s390x'],
  ['macOS', withHostArch('darwin'), [], join('darwin', arch, hostVariant)],
  ['windows', withHostArch('windows'), [], join('windows', arch, hostVariant)],
  ['darwin/arm64/v8', { os: 'darwin', architecture: 'arm64', variant: 'v8' }, [], 'darwin/arm64/v8'],
  ['linux/amd64/v1', { os: 'linux', architecture: 'amd64' }, [], 'linux/amd64'],
  ['linux/arm64/8', { os: 'linux', architecture: 'arm64', variant: 'v8' }, [], 'linux/arm64/v8'],
  ['linux/arm/7', { os: 'linux', architecture: 'arm', variant: 'v7' }, [], 'linux/arm/v7'],
])('parse %j', (input, expected, matches, formatted) => {
  const p = parsePlatform(input);
  expect(p).toEqual(expected);
  const m = platformMatcher(p);
  expect(m.match(expected)).toBe(true);
  for (const other of matches) expect(m.match(other)).toBe(true);
  expect(formatPlatformShort(p)).toBe(formatted);
  expect(formatPlatformShort(parsePlatform(formatted))).toBe(formatted);
});

// Vectors with OS version and features (upstream formats these with FormatAll).
test.each<[string, Platform, string]>([
  ['windows()', withHostArch('windows'), join('windows', arch, hostVariant)],
  ['windows(10.0.17763)', withHostArch('windows', { osVersion: '10.0.17763' }), join('windows(10.0.17763)', arch, hostVariant)],
  [
    'windows(10.0.17763+win32k)',
    withHostArch('windows', { osVersion: '10.0.17763', osFeatures: ['win32k'] }),
    join('windows(10.0.17763+win32k)', arch, hostVariant),
  ],
  ['linux(+gpu)', withHostArch('linux', { osFeatures: ['gpu'] }), join('linux(+gpu)', arch, hostVariant)],
  ['linux(+gpu+simd)', withHostArch('linux', { osFeatures: ['gpu', 'simd'] }), join('linux(+gpu+simd)', arch, hostVariant)],
  ['linux(+unsorted+erofs)', withHostArch('linux', { osFeatures: ['unsorted', 'erofs'] }), join('linux(+erofs+unsorted)', arch, hostVariant)],
  [
    'windows(10.0.17763%2Bbuild.42)',
    withHostArch('windows', { osVersion: '10.0.17763+build.42' }),
    join('windows(10.0.17763%2Bbuild.42)', arch, hostVariant),
  ],
  [
    'windows(10.0.17763%2Bbuild.42+win32k)',
    withHostArch('windows', { osVersion: '10.0.17763+build.42', osFeatures: ['win32k'] }),
    join('windows(10.0.17763%2Bbuild.42+win32k)', arch, hostVariant),
  ],
  ['windows(50%25done)', withHostArch('windows', { osVersion: '50%done' }), join('windows(50%25done)', arch, hostVariant)],
])('parse with OS options %j', (input, expected, formatted) => {
  const p = parsePlatform(input);
  expect(p).toEqual(expected);
  expect(formatPlatform(p)).toBe(formatted);
  expect(formatPlatform(parsePlatform(formatted))).toBe(formatted);
});

// Upstream TestFormatAllEncoding.
test.each<[Platform, string]>([
  [{ os: 'windows', osVersion: '10.0.17763+build.42', architecture: 'amd64' }, 'windows(10.0.17763%2Bbuild.42)/amd64'],
  [{ os: 'windows', osVersion: '10.0.17763+build.42', osFeatures: ['win32k'], architecture: 'amd64' }, 'windows(10.0.17763%2Bbuild.42+win32k)/amd64'],
  [{ os: 'windows', osVersion: '50%done', architecture: 'amd64' }, 'windows(50%25done)/amd64'],
  [{ os: 'windows', osVersion: '1.0(beta)', architecture: 'amd64' }, 'windows(1.0%28beta%29)/amd64'],
  [{ os: 'windows', osVersion: 'a/b', architecture: 'amd64' }, 'windows(a%2Fb)/amd64'],
  [{ os: 'windows', osVersion: '10.0.17763', architecture: 'amd64' }, 'windows(10.0.17763)/amd64'],
  [{ os: 'linux', osFeatures: ['feat+v2'], architecture: 'amd64' }, 'linux(+feat%2Bv2)/amd64'],
  [{ os: 'linux', osFeatures: ['100%gpu'], architecture: 'amd64' }, 'linux(+100%25gpu)/amd64'],
  [{ os: 'windows', osVersion: '10.0+build', osFeatures: ['feat+1'], architecture: 'amd64' }, 'windows(10.0%2Bbuild+feat%2B1)/amd64'],
  [{ os: 'linux', architecture: 'amd64', osFeatures: ['', 'gpu', '', 'simd'] }, 'linux(+gpu+simd)/amd64'],
  [{ os: '', architecture: 'amd64' }, 'unknown'],
])('format case %#: %s', (platform, expected) => {
  expect(formatPlatform(platform)).toBe(expected);
  if (platform.os === '') return;
  const back = parsePlatform(expected);
  expect(back.osVersion).toBe(platform.osVersion);
  expect(back.osFeatures ?? []).toEqual((platform.osFeatures ?? []).filter((f) => f !== ''));
});

test.each([
  ['', /first component ""/],
  ['/linux/arm', /first component ""/],
  ['linux/arm/', /component "" must be non-empty/],
  ['linux /arm', /first component "linux "/],
  ['linux/&arm', /component "&arm"/],
  ['linux/arm/foo/bar', /at most three components/],
  ['*', /wildcards are not supported/],
  ['linux/*', /wildcards are not supported/],
  ['foo', /"foo" is neither a known operating system nor a known architecture/],
  ['windows(10%zz)', /malformed percent escape/],
  ['linux(+)/amd64', /first component/],
])('invalid %j', (input, message) => {
  expect(() => parsePlatform(input)).toThrow(message);
  expect(tryParsePlatform(input)).toBeUndefined();
  try {
    parsePlatform(input);
  } catch (err) {
    expect((err as ImagedError).kind).toBe('InvalidArgument');
  }
});

const specifierChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/()+%*: '.split(''));
const specifiers = fc.oneof(
  fc.string({ unit: specifierChars, maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc
    .tuple(
      fc.constantFrom('linux', 'Linux', 'windows', 'darwin', 'macos', 'freebsd', 'plan9', 'weird-os'),
      fc.option(fc.string({ unit: specifierChars, maxLength: 12 }), { nil: undefined }),
      fc.constantFrom('amd64', 'x86_64', 'arm', 'armhf', 'armel', 'arm64', 'aarch64', 'i386', 'riscv64', 'Foo', '..', '.'),
      fc.option(fc.constantFrom('v5', 'v6', 'v7', '7', '8', 'v8', 'v8.2', 'v9', 'V1', 'v3', 'x'), { nil: undefined }),
    )
    .map(([os, options, a, v]) => [options === undefined ? os : `${os}(${options})`, a, v].filter((s) => s !== undefined).join('/')),
);

const sortedFeatures = (p: Platform): Platform => normalizePlatform({ ...p, os: p.os === '' ? 'x' : p.os });

test('parsePlatform returns a platform or throws InvalidArgument, never anything else', () => {
  fc.assert(
    fc.property(specifiers, (s) => {
      try {
        const p = parsePlatform(s);
        expect(typeof p.os).toBe('string');
        expect(typeof p.architecture).toBe('string');
      } catch (err) {
        expect(err).toBeInstanceOf(ImagedError);
        expect((err as ImagedError).kind).toBe('InvalidArgument');
      }
    }),
    { numRuns: 5000 },
  );
});

test('formatPlatform(parsePlatform(s)) parses back to the same platform', () => {
  fc.assert(
    fc.property(specifiers, (s) => {
      const p = tryParsePlatform(s);
      if (p === undefined) return;
      const text = formatPlatform(p);
      const back = parsePlatform(text);
      // Feature order is the one thing formatting changes: it sorts them.
      expect(back).toEqual({ ...p, ...(p.osFeatures === undefined ? {} : { osFeatures: [...p.osFeatures].sort() }) });
      expect(formatPlatform(back)).toBe(text);
      expect(sortedFeatures(back)).toEqual(sortedFeatures(p));
    }),
    { numRuns: 5000 },
  );
});
