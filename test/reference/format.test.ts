import {
  digested,
  familiarName,
  familiarString,
  formatReference,
  parseDockerRef,
  parseNormalizedNamed,
  parseReference,
  tagged,
  trimReference,
} from '../../src/reference/index.js';
import { invalidArgumentFrom, sha } from './helpers.js';

const D = sha('e');

// Adapted from distribution/reference TestWithTag and TestWithDigest. Unlike WithTag/WithDigest,
// tagged and digested keep only the name: a CRI repo tag is name:tag, a repo digest name@digest.
test.each([
  ['test.com/foo', 'tag', 'test.com/foo:tag'],
  ['foo', 'tag2', 'foo:tag2'],
  ['test.com:8000/foo', 'tag4', 'test.com:8000/foo:tag4'],
  ['test.com:8000/foo', 'TAG5', 'test.com:8000/foo:TAG5'],
  [`test.com:8000/foo@${D}`, 'TAG5', 'test.com:8000/foo:TAG5'],
  ['test.com:8000/foo:old', 'new', 'test.com:8000/foo:new'],
])('tagged(%s, %s) is %s', (input, tag, expected) => {
  expect(formatReference(tagged(parseReference(input), tag))).toBe(expected);
});

test.each([
  ['test.com/foo', `test.com/foo@${D}`],
  ['foo', `foo@${D}`],
  ['test.com:8000/foo', `test.com:8000/foo@${D}`],
  ['test.com:8000/foo:latest', `test.com:8000/foo@${D}`],
])('digested(%s) is %s', (input, expected) => {
  expect(formatReference(digested(parseReference(input), D))).toBe(expected);
});

test('a CRI pull builds repoTag and repoDigest from the normalized name', () => {
  const ref = parseDockerRef('busybox:1.36');
  expect(formatReference(tagged(ref, ref.tag ?? 'latest'))).toBe('docker.io/library/busybox:1.36');
  expect(formatReference(digested(ref, D))).toBe(`docker.io/library/busybox@${D}`);
});

test.each(['-foo', '.foo', '', 'a b', 'x'.repeat(129), 'tag@x'])('tagged refuses the tag %j', (tag) => {
  const err = invalidArgumentFrom(() => tagged(parseNormalizedNamed('busybox'), tag));
  expect(err.message).toMatch(/^invalid tag .* for "docker.io\/library\/busybox": /);
});

test.each(['foo', 'sha256:1234567890098765432112345667890098765', `md5:${'a'.repeat(32)}`])('digested refuses %j', (d) => {
  const err = invalidArgumentFrom(() => digested(parseNormalizedNamed('busybox'), d));
  expect(err.message).toMatch(/^invalid digest /);
});

test('trimReference drops tag and digest', () => {
  expect(trimReference(parseReference(`a.io/b:c@${D}`))).toEqual({ domain: 'a.io', path: 'b' });
  expect(trimReference(parseReference('b:c'))).toEqual({ path: 'b' });
});

test.each([
  ['docker.io/library/busybox:1', 'busybox', 'busybox:1'],
  ['docker.io/foo/bar', 'foo/bar', 'foo/bar'],
  [`busybox:latest@${D}`, 'busybox', `busybox:latest@${D}`],
  ['docker.io/library/foo/bar', 'library/foo/bar', 'library/foo/bar'],
  ['gcr.io/library/busybox', 'gcr.io/library/busybox', 'gcr.io/library/busybox'],
  ['localhost:5000/x:y', 'localhost:5000/x:y'.slice(0, -2), 'localhost:5000/x:y'],
  // Dropping docker.io here would make the first component read as a registry host.
  ['docker.io/foo.bar/x', 'docker.io/foo.bar/x', 'docker.io/foo.bar/x'],
  ['docker.io/localhost/x:1', 'docker.io/localhost/x', 'docker.io/localhost/x:1'],
  ['docker.io/library/foo.bar', 'foo.bar', 'foo.bar'],
])('familiar forms of %s', (input, familiar, familiarFull) => {
  const ref = parseNormalizedNamed(input);
  expect(familiarName(ref)).toBe(familiar);
  expect(familiarString(ref)).toBe(familiarFull);
  expect(parseNormalizedNamed(familiarFull)).toEqual(ref);
});

test('a reference with no domain is its own familiar form', () => {
  expect(familiarString(parseReference('foo_bar:1'))).toBe('foo_bar:1');
});
