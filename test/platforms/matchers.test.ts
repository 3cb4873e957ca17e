import {
  allPlatforms,
  comparePlatforms,
  compatiblePlatforms,
  defaultPlatformMatcher,
  formatPlatform,
  hostPlatform,
  normalizePlatform,
  onlyPlatform,
  ordered,
  parsePlatform,
  platformMatcher,
  type Platform,
} from '../../src/platforms/index.js';

type Vector = readonly [string, readonly string[], readonly string[]];

// containerd/platforms TestOnly: platform, accepted, rejected.
const ONLY: readonly Vector[] = [
  ['linux/amd64', ['linux/amd64', 'linux/386'], ['linux/amd64/v2', 'linux/arm/v7', 'linux/arm64', 'windows/amd64', 'windows/arm']],
  [
    'linux/amd64/v2',
    ['linux/amd64', 'linux/amd64/v1', 'linux/amd64/v2', 'linux/386'],
    ['linux/amd64/v3', 'linux/amd64/v4', 'linux/arm/v7', 'linux/arm64', 'windows/amd64', 'windows/arm'],
  ],
  ['linux/386', ['linux/386'], ['linux/amd64', 'linux/arm/v7', 'linux/arm64', 'windows/amd64', 'windows/arm']],
  ['windows/amd64', ['windows/amd64', 'windows(10.0.17763)/amd64'], ['linux/amd64', 'linux/arm/v7', 'linux/arm64', 'windows/arm']],
  [
    'linux/arm/v8',
    ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8'],
    ['linux/amd64', 'linux/arm/v4', 'linux/arm64', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm/v7',
    ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7'],
    ['linux/amd64', 'linux/arm/v4', 'linux/arm/v8', 'linux/arm64', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm/v6',
    ['linux/arm/v5', 'linux/arm/v6'],
    ['linux/amd64', 'linux/arm', 'linux/arm/v4', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm/v5',
    ['linux/arm/v5'],
    ['linux/amd64', 'linux/arm', 'linux/arm/v4', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm/v4',
    ['linux/arm/v4'],
    ['linux/amd64', 'linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm64',
    ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64', 'linux/arm64/v8'],
    ['linux/amd64', 'linux/arm/v4', 'linux/arm/v9', 'linux/arm64/v7', 'linux/arm64/v9', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm64/v9',
    [
      'linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64', 'linux/arm64/v8',
      'linux/arm64/v8.1', 'linux/arm64/v8.2', 'linux/arm64/v8.3', 'linux/arm64/v8.4', 'linux/arm64/v8.5', 'linux/arm64/v9',
    ],
    ['linux/amd64', 'linux/arm/v4', 'linux/arm64/v7', 'linux/arm64/v10', 'linux/arm64/v8.6', 'windows/arm64', 'windows/arm'],
  ],
  [
    'linux/arm64/v8.1',
    ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm64', 'linux/arm64/v8', 'linux/arm64/v8.1'],
    ['linux/amd64', 'linux/arm/v4', 'linux/arm/v9', 'linux/arm64/v9', 'linux/arm64/v8.2', 'windows/amd64', 'windows/arm'],
  ],
  ['linux/arm64/v9.2', ['linux/arm64/v9.1', 'linux/arm64/v9', 'linux/arm64/v8.7', 'linux/arm64/v8.6', 'linux/arm64'], ['linux/arm64/v8.8', 'linux/arm64/v9.3']],
  ['linux/arm64/v9.5', ['linux/arm64/v8.9', 'linux/arm64/v9.4'], ['linux/arm64/v9.6']],
];

// containerd/platforms TestOnlyStrict (the exact matcher).
const STRICT: readonly Vector[] = [
  ['linux/amd64', ['linux/amd64'], ['linux/386', 'linux/arm/v7', 'linux/arm64', 'windows/amd64', 'windows/arm']],
  ['linux/386', ['linux/386'], ['linux/amd64', 'linux/arm/v7', 'linux/arm64', 'windows/amd64', 'windows/arm']],
  ['windows/amd64', ['windows/amd64', 'windows(10.0.17763)/amd64'], ['linux/amd64', 'linux/arm/v7', 'linux/arm64', 'windows/arm']],
  ['windows(10.0.17763)/amd64', ['windows/amd64', 'windows(10.0.17763)/amd64'], ['linux/amd64', 'linux/arm/v7', 'linux/arm64', 'windows/arm']],
  [
    'linux/arm/v8',
    ['linux/arm/v8'],
    ['linux/arm', 'linux/arm/v5', 'linux/arm/v6', 'linux/arm/v7', 'linux/amd64', 'linux/arm/v4', 'linux/arm64', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm/v7',
    ['linux/arm', 'linux/arm/v7'],
    ['linux/arm/v5', 'linux/arm/v6', 'linux/amd64', 'linux/arm/v4', 'linux/arm/v8', 'linux/arm64', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm64',
    ['linux/arm64', 'linux/arm64/v8'],
    ['linux/arm', 'linux/arm/v5', 'linux/arm/v8', 'linux/amd64', 'linux/arm/v9', 'linux/arm64/v7', 'linux/arm64/v9', 'windows/amd64', 'windows/arm'],
  ],
  [
    'linux/arm64/v9',
    ['linux/arm64/v9'],
    ['linux/arm', 'linux/arm/v7', 'linux/arm/v8', 'linux/arm/v9', 'linux/arm64/v7', 'linux/arm64', 'linux/arm64/v8', 'linux/arm64/v10', 'windows/arm64'],
  ],
];

const expand = (vectors: readonly Vector[]): Array<[string, string, boolean]> =>
  vectors.flatMap(([p, yes, no]) => [...yes.map((c): [string, string, boolean] => [p, c, true]), ...no.map((c): [string, string, boolean] => [p, c, false])]);

test.each(expand(ONLY))('onlyPlatform(%s).match(%s) = %s', (platform, candidate, expected) => {
  expect(onlyPlatform(parsePlatform(platform)).match(parsePlatform(candidate))).toBe(expected);
});

test.each(expand(STRICT))('platformMatcher(%s).match(%s) = %s', (platform, candidate, expected) => {
  expect(platformMatcher(parsePlatform(platform)).match(parsePlatform(candidate))).toBe(expected);
});

test.each([
  ['linux/amd64', ['linux/amd64', 'linux/386']],
  ['linux/amd64/v3', ['linux/amd64/v3', 'linux/amd64/v2', 'linux/amd64/v1', 'linux/386']],
  ['linux/arm64', ['linux/arm64', 'linux/arm/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
  ['linux/arm/v7', ['linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
  ['linux/arm64/v8.2', ['linux/arm64/v8.2', 'linux/arm64/v8.1', 'linux/arm64/v8', 'linux/arm/v8', 'linux/arm/v7', 'linux/arm/v6', 'linux/arm/v5']],
  ['linux/riscv64', ['linux/riscv64']],
])('compatible platforms of %s, best first', (platform, expected) => {
  expect(compatiblePlatforms(normalizePlatform(parsePlatform(platform))).map(formatPlatform)).toEqual(expected);
  const [first, ...rest] = expected;
  expect(onlyPlatform(parsePlatform(platform)).description).toBe(rest.length === 0 ? first : `${first} (or compatible ${rest.join(', ')})`);
});

const sortSpecs = (matcherFor: string, specs: readonly (string | undefined)[]): Array<string | undefined> => {
  const m = onlyPlatform(parsePlatform(matcherFor));
  const cmp = comparePlatforms(m);
  return specs
    .map((s) => (s === undefined ? undefined : parsePlatform(s)))
    .sort(cmp)
    .map((p) => (p === undefined ? undefined : formatPlatform(p)));
};

test('preference order: exact first, then older variants, unmatched and platform-less last (stable)', () => {
  expect(sortSpecs('linux/arm64', ['linux/arm/v6', undefined, 'linux/amd64', 'linux/arm/v7', 'linux/arm64', 'windows/arm64'])).toEqual([
    'linux/arm64',
    'linux/arm/v7',
    'linux/arm/v6',
    'linux/amd64',
    'windows/arm64',
    undefined,
  ]);
  expect(sortSpecs('linux/amd64', ['linux/386', 'linux/amd64/v2', 'linux/amd64'])).toEqual(['linux/amd64', 'linux/386', 'linux/amd64/v2']);
});

test('among equally matching platforms, more OS features win', () => {
  const m = ordered({ os: 'linux', architecture: 'amd64', osFeatures: ['gpu', 'simd'] });
  const plain: Platform = { os: 'linux', architecture: 'amd64' };
  const gpu: Platform = { os: 'linux', architecture: 'amd64', osFeatures: ['gpu'] };
  const other: Platform = { os: 'linux', architecture: 'amd64', osFeatures: ['tpu'] };
  expect(m.match(plain)).toBe(true);
  expect(m.match(gpu)).toBe(true);
  expect(m.match(other)).toBe(false);
  expect(m.less(gpu, plain)).toBe(true);
  expect(m.less(plain, gpu)).toBe(false);
});

test.each([
  ['10.0.17763', '10.0.17763', true],
  ['10.0.17763', '10.0.17763.1234', true],
  ['10.0.17763', '10.0.20348', false],
  ['10.0.20348', '10.0.17763', false],
  ['10.0.26100', '10.0.20348', true],
  ['10.0.26100', '10.0.22621', true],
  ['10.0.26100', '10.0.26200', false],
  ['10.0.20348', '', true],
  ['', '10.0.1', true],
])('windows host %s runs container %s: %s', (hostVersion, ctrVersion, expected) => {
  const m = platformMatcher({ os: 'windows', architecture: 'amd64', ...(hostVersion === '' ? {} : { osVersion: hostVersion }) });
  expect(m.match({ os: 'windows', architecture: 'amd64', ...(ctrVersion === '' ? {} : { osVersion: ctrVersion }) })).toBe(expected);
});

test('allPlatforms accepts everything and prefers nothing', () => {
  const m = allPlatforms();
  expect(m.match({ os: 'plan9', architecture: 'mips' })).toBe(true);
  expect(m.less({ os: 'linux', architecture: 'amd64' }, { os: 'plan9', architecture: 'mips' })).toBe(false);
});

test('the default matcher accepts the host platform', () => {
  const host = hostPlatform();
  expect(host.os).toBe(process.platform === 'win32' ? 'windows' : process.platform);
  expect(defaultPlatformMatcher().match(host)).toBe(true);
  if (host.architecture === 'amd64') expect(defaultPlatformMatcher().match(parsePlatform('linux/386'))).toBe(host.os === 'linux');
});
