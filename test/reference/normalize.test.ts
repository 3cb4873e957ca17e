import {
  familiarName,
  familiarString,
  formatReference,
  isCanonical,
  isTagged,
  parseAnyReference,
  parseDockerRef,
  parseNamed,
  parseNormalizedNamed,
  parseReference,
  tryParseNormalizedNamed,
} from '../../src/reference/index.js';
import { invalidArgumentFrom } from './helpers.js';

const HEX = '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a';
const DBCC = 'sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c';
const E669 = 'sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';

// distribution/reference TestValidateReferenceName and TestValidateRemoteName (valid halves).
test.each([
  'docker/docker',
  'library/debian',
  'debian',
  'docker.io/docker/docker',
  'docker.io/library/debian',
  'docker.io/debian',
  'index.docker.io/docker/docker',
  'index.docker.io/library/debian',
  'index.docker.io/debian',
  '127.0.0.1:5000/docker/docker',
  '127.0.0.1:5000/library/debian',
  '127.0.0.1:5000/debian',
  '192.168.0.1',
  '192.168.0.1:80',
  '192.168.0.1:8/debian',
  '192.168.0.2:25000/debian',
  'thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev',
  '[fc00::1]:5000/docker',
  '[fc00::1]:5000/docker/docker',
  '[fc00:1:2:3:4:5:6:7]:5000/library/debian',
  `docker.io/${HEX}`,
  'Docker/docker',
  'DOCKER/docker',
  'docker-rules/docker',
  'docker---rules/docker',
  'doc/docker',
  'd/docker',
  'jess/t',
  'dock__er/docker',
])('%s normalizes', (input) => {
  const ref = parseNormalizedNamed(input);
  expect(ref.domain).toBeDefined();
  expect(parseReference(formatReference(ref))).toEqual(ref);
});

// The invalid halves of the same tests, with the reason our message gives.
test.each([
  ['https://github.com/docker/docker', /a reference is not a URL; leave out "https:\/\/"/],
  ['docker/Docker', /repository name must be lowercase/],
  ['-docker', /invalid repository path component "-docker"/],
  ['-docker/docker', /invalid repository path component "-docker"/],
  ['-docker.io/docker/docker', /invalid registry host "-docker.io"/],
  ['docker///docker', /empty path component/],
  ['docker.io/docker/Docker', /repository name must be lowercase/],
  ['docker.io/docker///docker', /empty path component/],
  ['[fc00::1]', /"\[fc00::1\]" is a registry host with no repository after it/],
  ['[fc00::1]:5000', /"\[fc00::1\]" is a registry host with no repository after it/],
  ['fc00::1:5000/debian', /invalid registry host "fc00::1:5000"/],
  ['[fe80::1%eth0]:5000/debian', /invalid registry host/],
  ['[2001:db8:3:4::192.0.2.33]:5000/debian', /invalid registry host/],
  [HEX, /look like an image ID/],
  ['docker-/docker', /invalid repository path component "docker-"/],
  ['-docker-/docker', /invalid repository path component "-docker-"/],
  ['____/____', /invalid repository path component "____"/],
  ['_docker/_docker', /invalid repository path component "_docker"/],
  ['dock..er/docker', /invalid registry host "dock..er"/],
  ['dock_.er/docker', /invalid registry host "dock_.er"/],
  ['dock-.er/docker', /invalid registry host "dock-.er"/],
  ['docker/', /empty path component/],
  [`${'this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_'.repeat(4)}x/docker`, /must not be more than 255 characters/],
  ['-foo', /invalid repository path component "-foo"/],
  ['', /reference is empty/],
  // Upstream reads foo_bar.com as a domain-less path here; we refuse a name with no registry.
  ['foo_bar.com/x', /invalid registry host "foo_bar.com"/],
  ['busybox@SHA256:abc', /invalid digest "SHA256:abc"/],
])('%s is refused', (input, reason) => {
  const err = invalidArgumentFrom(() => parseNormalizedNamed(input));
  expect(err.message).toMatch(/^invalid reference ".*": /);
  expect(err.message).toMatch(reason);
  expect(tryParseNormalizedNamed(input)).toBeUndefined();
});

// distribution/reference TestParseRepositoryInfo: each spelling → path, familiar, full, domain.
describe.each([
  ['fooo/bar', 'fooo/bar', 'docker.io/fooo/bar', 'index.docker.io/fooo/bar', 'docker.io'],
  ['library/ubuntu', 'ubuntu', 'docker.io/library/ubuntu', 'library/ubuntu', 'docker.io'],
  ['nonlibrary/ubuntu', 'nonlibrary/ubuntu', 'docker.io/nonlibrary/ubuntu', '', 'docker.io'],
  ['other/library', 'other/library', 'docker.io/other/library', '', 'docker.io'],
  ['private/moonbase', '127.0.0.1:8000/private/moonbase', '127.0.0.1:8000/private/moonbase', '', '127.0.0.1:8000'],
  ['privatebase', '127.0.0.1:8000/privatebase', '127.0.0.1:8000/privatebase', '', '127.0.0.1:8000'],
  ['private/moonbase', 'example.com/private/moonbase', 'example.com/private/moonbase', '', 'example.com'],
  ['privatebase', 'example.com/privatebase', 'example.com/privatebase', '', 'example.com'],
  ['private/moonbase', 'example.com:8000/private/moonbase', 'example.com:8000/private/moonbase', '', 'example.com:8000'],
  ['privatebasee', 'example.com:8000/privatebasee', 'example.com:8000/privatebasee', '', 'example.com:8000'],
  ['library/ubuntu-12.04-base', 'ubuntu-12.04-base', 'docker.io/library/ubuntu-12.04-base', 'index.docker.io/library/ubuntu-12.04-base', 'docker.io'],
  ['library/foo', 'foo', 'docker.io/library/foo', 'docker.io/foo', 'docker.io'],
  ['library/foo/bar', 'library/foo/bar', 'docker.io/library/foo/bar', '', 'docker.io'],
  ['store/foo/bar', 'store/foo/bar', 'docker.io/store/foo/bar', '', 'docker.io'],
  ['bar', 'Foo/bar', 'Foo/bar', '', 'Foo'],
  ['bar', 'FOO/bar', 'FOO/bar', '', 'FOO'],
])('%s as %s', (path, familiar, full, ambiguous, domain) => {
  test.each([familiar, full, ...(ambiguous === '' ? [] : [ambiguous])])('%s', (input) => {
    const ref = parseNormalizedNamed(input);
    expect(familiarName(ref)).toBe(familiar);
    expect(formatReference(ref)).toBe(full);
    expect(ref.domain).toBe(domain);
    expect(ref.path).toBe(path);
  });
});

test('TestParseReferenceWithTagAndDigest', () => {
  const short = 'busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa';
  const ref = parseNormalizedNamed(short);
  expect(formatReference(ref)).toBe(`docker.io/library/${short}`);
  expect(isTagged(ref)).toBe(true);
  expect(isCanonical(ref)).toBe(true);
  expect(familiarString(ref)).toBe(short);
});

// distribution/reference TestNormalizedSplitHostname.
test.each([
  ['test.com/foo', 'test.com', 'foo'],
  ['test_com/foo', 'docker.io', 'test_com/foo'],
  ['docker/migrator', 'docker.io', 'docker/migrator'],
  ['test.com:8080/foo', 'test.com:8080', 'foo'],
  ['test-com:8080/foo', 'test-com:8080', 'foo'],
  ['foo', 'docker.io', 'library/foo'],
  ['xn--n3h.com/foo', 'xn--n3h.com', 'foo'],
  ['xn--n3h.com:18080/foo', 'xn--n3h.com:18080', 'foo'],
  ['docker.io/foo', 'docker.io', 'library/foo'],
  ['docker.io/library/foo', 'docker.io', 'library/foo'],
  ['docker.io/library/foo/bar', 'docker.io', 'library/foo/bar'],
  ['localhost/foo', 'localhost', 'foo'],
  ['localhost:5000/foo', 'localhost:5000', 'foo'],
  ['localhost', 'docker.io', 'library/localhost'],
  ['example.com', 'docker.io', 'library/example.com'],
])('%s splits into %s and %s', (input, domain, path) => {
  expect(parseNormalizedNamed(input)).toEqual({ domain, path });
});

// distribution/reference TestParseAnyReference: input → equivalent string; digests come back as strings.
test.each([
  ['redis', 'docker.io/library/redis'],
  ['redis:latest', 'docker.io/library/redis:latest'],
  ['docker.io/library/redis:latest', 'docker.io/library/redis:latest'],
  [`redis@${DBCC}`, `docker.io/library/redis@${DBCC}`],
  [`docker.io/library/redis@${DBCC}`, `docker.io/library/redis@${DBCC}`],
  ['dmcgowan/myapp', 'docker.io/dmcgowan/myapp'],
  ['dmcgowan/myapp:latest', 'docker.io/dmcgowan/myapp:latest'],
  ['docker.io/mcgowan/myapp:latest', 'docker.io/mcgowan/myapp:latest'],
  [`dmcgowan/myapp@${DBCC}`, `docker.io/dmcgowan/myapp@${DBCC}`],
  [`docker.io/dmcgowan/myapp@${DBCC}`, `docker.io/dmcgowan/myapp@${DBCC}`],
  [DBCC.slice('sha256:'.length), DBCC],
  [DBCC, DBCC],
  [DBCC.slice('sha256:'.length, -1), `docker.io/library/${DBCC.slice('sha256:'.length, -1)}`],
  ['dbcc1', 'docker.io/library/dbcc1'],
])('parseAnyReference(%s) is %s', (input, equivalent) => {
  const ref = parseAnyReference(input);
  if (typeof ref === 'string') {
    expect(ref).toBe(equivalent);
  } else {
    expect(formatReference(ref)).toBe(equivalent);
    expect(ref).toEqual(parseReference(equivalent));
  }
});

// distribution/reference TestParseDockerRef.
test.each([
  ['nothing', 'busybox', 'docker.io/library/busybox:latest'],
  ['tag only', 'busybox:latest', 'docker.io/library/busybox:latest'],
  ['digest only', `busybox@${E669}`, `docker.io/library/busybox@${E669}`],
  ['path only', 'library/busybox', 'docker.io/library/busybox:latest'],
  ['hostname only', 'docker.io/busybox', 'docker.io/library/busybox:latest'],
  ['no tag', 'docker.io/library/busybox', 'docker.io/library/busybox:latest'],
  ['no path', 'docker.io/busybox:latest', 'docker.io/library/busybox:latest'],
  ['no hostname', 'library/busybox:latest', 'docker.io/library/busybox:latest'],
  ['full reference with tag', 'docker.io/library/busybox:latest', 'docker.io/library/busybox:latest'],
  ['gcr reference without tag', 'gcr.io/library/busybox', 'gcr.io/library/busybox:latest'],
  ['both tag and digest', `gcr.io/library/busybox:latest@${E669}`, `gcr.io/library/busybox@${E669}`],
  ['legacy index host', 'index.docker.io/foo/bar:1', 'docker.io/foo/bar:1'],
  ['localhost', 'localhost/x', 'localhost/x:latest'],
  ['host and port', 'host:5000/x', 'host:5000/x:latest'],
  ['dotted host', 'example.com/x', 'example.com/x:latest'],
  ['namespace', 'foo/bar', 'docker.io/foo/bar:latest'],
])('parseDockerRef: %s', (_, input, expected) => {
  const output = formatReference(parseDockerRef(input));
  expect(output).toBe(expected);
  expect(formatReference(parseReference(output))).toBe(output);
});

test('parseDockerRef refuses a bare image ID, saying it looks like one', () => {
  const err = invalidArgumentFrom(() => parseDockerRef(HEX));
  expect(err.message).toBe(
    `invalid reference "${HEX}": 64 hexadecimal characters look like an image ID, not a repository name; give a name, or "sha256:<id>" where an ID is accepted`,
  );
});

// distribution/reference TestParseNamed: fully qualified input only.
test.each([
  ['test.com/foo', 'test.com', 'foo'],
  ['test:8080/foo', 'test:8080', 'foo'],
  ['docker.io/library/foo', 'docker.io', 'library/foo'],
])('parseNamed(%s)', (input, domain, path) => {
  expect(parseNamed(input)).toEqual({ domain, path });
});

test.each([
  ['test_com/foo', 'docker.io/test_com/foo'],
  ['test.com', 'docker.io/library/test.com'],
  ['foo', 'docker.io/library/foo'],
  ['library/foo', 'docker.io/library/foo'],
  ['docker.io/foo', 'docker.io/library/foo'],
])('parseNamed(%s) refuses and suggests %s', (input, suggestion) => {
  const err = invalidArgumentFrom(() => parseNamed(input));
  expect(err.message).toBe(`invalid reference "${input}": not a fully qualified reference; use "${suggestion}"`);
});
