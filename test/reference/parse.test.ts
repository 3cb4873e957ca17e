import {
  formatReference,
  isCanonical,
  isDigested,
  isNameOnly,
  isTagged,
  name,
  parseReference,
  tryParseReference,
} from '../../src/reference/index.js';
import { invalidArgumentFrom, sha } from './helpers.js';

const F64 = sha('f');
const F128 = `sha512:${'f'.repeat(128)}`;

// Vectors of distribution/reference TestReferenceParse: input → name, domain, tag, digest.
// An empty domain means the name has none.
describe('parseReference accepts', () => {
  test.each([
    ['test_com', 'test_com', '', '', ''],
    ['test.com:tag', 'test.com', '', 'tag', ''],
    ['test.com:5000', 'test.com', '', '5000', ''],
    ['test.com/repo:tag', 'test.com/repo', 'test.com', 'tag', ''],
    ['test:5000/repo', 'test:5000/repo', 'test:5000', '', ''],
    ['test:5000/repo:tag', 'test:5000/repo', 'test:5000', 'tag', ''],
    [`test:5000/repo@${F64}`, 'test:5000/repo', 'test:5000', '', F64],
    [`test:5000/repo:tag@${F64}`, 'test:5000/repo', 'test:5000', 'tag', F64],
    ['lowercase:Uppercase', 'lowercase', '', 'Uppercase', ''],
    [`${'a/'.repeat(127)}a:tag-puts-this-over-max`, `${'a/'.repeat(127)}a`, 'a', 'tag-puts-this-over-max', ''],
    ['sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com', '', ''],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com', 'some-long-tag', ''],
    ['b.gcr.io/test.example.com/my-app:test.example.com', 'b.gcr.io/test.example.com/my-app', 'b.gcr.io', 'test.example.com', ''],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com/myimage', 'xn--n3h.com', 'xn--n3h.com', ''],
    [`xn--7o8h.com/myimage:xn--7o8h.com@${F128}`, 'xn--7o8h.com/myimage', 'xn--7o8h.com', 'xn--7o8h.com', F128],
    ['foo_bar.com:8080', 'foo_bar.com', '', '8080', ''],
    ['foo/foo_bar.com:8080', 'foo/foo_bar.com', 'foo', '8080', ''],
    ['192.168.1.1', '192.168.1.1', '', '', ''],
    ['192.168.1.1:tag', '192.168.1.1', '', 'tag', ''],
    ['192.168.1.1:5000', '192.168.1.1', '', '5000', ''],
    ['192.168.1.1/repo', '192.168.1.1/repo', '192.168.1.1', '', ''],
    ['192.168.1.1:5000/repo', '192.168.1.1:5000/repo', '192.168.1.1:5000', '', ''],
    ['192.168.1.1:5000/repo:5050', '192.168.1.1:5000/repo', '192.168.1.1:5000', '5050', ''],
    ['[2001:db8::1]/repo', '[2001:db8::1]/repo', '[2001:db8::1]', '', ''],
    ['[2001:db8:1:2:3:4:5:6]/repo:tag', '[2001:db8:1:2:3:4:5:6]/repo', '[2001:db8:1:2:3:4:5:6]', 'tag', ''],
    ['[2001:db8::1]:5000/repo', '[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', '', ''],
    ['[2001:db8::1]:5000/repo:tag', '[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', 'tag', ''],
    [`[2001:db8::1]:5000/repo@${F64}`, '[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', '', F64],
    [`[2001:db8::1]:5000/repo:tag@${F64}`, '[2001:db8::1]:5000/repo', '[2001:db8::1]:5000', 'tag', F64],
    ['[2001:db8::]:5000/repo', '[2001:db8::]:5000/repo', '[2001:db8::]:5000', '', ''],
    ['[::1]:5000/repo', '[::1]:5000/repo', '[::1]:5000', '', ''],
    // distribution/reference TestReferenceRegexp
    ['registry.com:8080/myapp:tag', 'registry.com:8080/myapp', 'registry.com:8080', 'tag', ''],
    [`localhost:8080@${F64}`, 'localhost', '', '8080', F64],
    [`localhost:8080/name@${F64}`, 'localhost:8080/name', 'localhost:8080', '', F64],
    [`localhost@${F64}`, 'localhost', '', '', F64],
    // A bare ID is a valid name for the strict grammar; only normalization refuses it.
    ['1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', '1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a', '', '', ''],
  ])('%s', (input, repository, domain, tag, digest) => {
    const ref = parseReference(input);
    expect(formatReference(ref)).toBe(input);
    expect(name(ref)).toBe(repository);
    expect(ref.domain ?? '').toBe(domain);
    expect(ref.tag ?? '').toBe(tag);
    expect(ref.digest ?? '').toBe(digest);
    expect(isTagged(ref)).toBe(tag !== '');
    expect(isDigested(ref)).toBe(digest !== '');
    expect(isCanonical(ref)).toBe(digest !== '');
    expect(isNameOnly(ref)).toBe(tag === '' && digest === '');
    expect(tryParseReference(input)).toEqual(ref);
  });
});

// Error vectors of TestReferenceParse, TestWithNameFailure and TestReferenceRegexp, with the
// reason our message gives (upstream: ErrNameEmpty, ErrReferenceInvalidFormat,
// ErrDigestInvalidLength, ErrDigestUnsupported, ErrNameContainsUppercase, ErrNameTooLong).
describe('parseReference rejects', () => {
  test.each([
    ['', /reference is empty/],
    [':justtag', /repository name is missing/],
    [`@${F64}`, /repository name is missing/],
    ['repo@sha256:ffffffffffffffffffffffffffffffffff', /invalid digest .*sha256 needs 64 hex characters, got 34/],
    [`validname@invaliddigest:${'f'.repeat(64)}`, /unsupported digest algorithm "invaliddigest"/],
    ['Uppercase:tag', /repository name must be lowercase/],
    ['test:5000/Uppercase/lowercase:tag', /repository name must be lowercase/],
    [`${'a/'.repeat(128)}a:tag`, /repository name must not be more than 255 characters \(it has 257\)/],
    ['aa/asdf$$^/aa', /invalid repository path component "asdf\$\$\^"/],
    ['[2001:db8::1]', /"\[2001:db8::1\]" is a registry host with no repository after it/],
    ['[2001:db8::1]:5000', /"\[2001:db8::1\]" is a registry host with no repository after it/],
    ['[2001:db8::1]:tag', /"\[2001:db8::1\]" is a registry host with no repository after it/],
    ['[fe80::1%eth0]:5000/repo', /invalid registry host "\[fe80::1%eth0\]:5000"/],
    ['[fe80::1%@invalidzone]:5000/repo', /invalid registry host "\[fe80::1%"|invalid repository path component/],
    ['registry.com:8080/myapp@sha256:badbadbadbad', /invalid digest .*sha256 needs 64 hex characters, got 12/],
    ['registry.com:8080/myapp:invalid~tag', /invalid tag "invalid~tag"/],
    ['bad_hostname.com:8080/myapp:tag', /invalid registry host "bad_hostname.com:8080"/],
    [`localhost:http/name@${F64}`, /invalid registry host "localhost:http"/],
    ['registry.com:8080/myapp@bad', /invalid digest "bad"/],
    ['registry.com:8080/myapp@2bad', /invalid digest "2bad"/],
    [`repo@sha256:${'F'.repeat(64)}`, /encoded part must be lowercase hex/],
    ['repo:', /the tag after ":" is empty/],
    ['repo@', /the digest after "@" is empty/],
    ['repo:-tag', /invalid tag "-tag"/],
    [`repo:${'t'.repeat(129)}`, /is longer than 128 characters/],
    ['a//b', /empty path component/],
    ['/a', /empty path component/],
    ['a/', /empty path component/],
    ['foo bar', /invalid repository path component "foo bar"/],
  ])('%j', (input, reason) => {
    const err = invalidArgumentFrom(() => parseReference(input));
    expect(err.message.startsWith(`invalid reference ${JSON.stringify(input.length > 128 ? `${input.slice(0, 128)}…` : input)}: `)).toBe(true);
    expect(err.message).toMatch(reason);
    expect(tryParseReference(input)).toBeUndefined();
  });
});

test('a name of exactly 255 characters is accepted, 256 is not', () => {
  expect(name(parseReference(`${'a/'.repeat(127)}a`))).toHaveLength(255);
  invalidArgumentFrom(() => parseReference(`b${'a/'.repeat(127)}a`));
});

test('a tag of 128 characters is accepted', () => {
  expect(parseReference(`repo:${'t'.repeat(128)}`).tag).toHaveLength(128);
});

test('error messages shorten very long input', () => {
  const err = invalidArgumentFrom(() => parseReference(`${'A'.repeat(10_000)}!`));
  expect(err.message.length).toBeLessThan(500);
});

// distribution/reference TestDomainRegexp, checked through a name `<domain>/repo`.
describe('registry hosts', () => {
  test.each([
    ['test.com', true],
    ['test.com:10304', true],
    ['test.com:http', false],
    ['localhost', true],
    ['localhost:8080', true],
    ['a', true],
    ['a.b', true],
    ['ab.cd.com', true],
    ['a-b.com', true],
    ['-ab.com', false],
    ['ab-.com', false],
    ['ab.c-om', true],
    ['ab.-com', false],
    ['ab.com-', false],
    ['0101.com', true],
    ['001a.com', true],
    ['b.gbc.io:443', true],
    ['b.gbc.io', true],
    ['xn--n3h.com', true],
    ['Asdf.com', true],
    ['192.168.1.1:75050', true],
    ['192.168.1.1:750050', true],
    ['[fd00:1:2::3]:75050', true],
    ['[fd00:1:2::3]75050', false],
    ['[fd00:1:2::3]::75050', false],
    ['[fd00:1:2::3%eth0]:75050', false],
    ['[fd00123123123]:75050', true],
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:75050', true],
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:750505', true],
    ['fd00:1:2::3:75050', false],
  ])('%s valid=%s', (domain, valid) => {
    const ref = tryParseReference(`${domain}/repo`);
    if (valid) expect(ref).toEqual({ domain, path: 'repo' });
    else expect(ref).toBeUndefined();
  });
});

// distribution/reference TestFullNameRegexp: name → [domain, path], or undefined when invalid.
describe('names', () => {
  test.each<[string, [string, string] | undefined]>([
    ['', undefined],
    ['short', ['', 'short']],
    ['simple/name', ['simple', 'name']],
    ['library/ubuntu', ['library', 'ubuntu']],
    ['docker/stevvooe/app', ['docker', 'stevvooe/app']],
    ['aa/aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb', ['aa', 'aa/aa/aa/aa/aa/aa/aa/aa/bb/bb/bb/bb/bb/bb']],
    ['aa/aa/bb/bb/bb', ['aa', 'aa/bb/bb/bb']],
    ['a/a/a/a', ['a', 'a/a/a']],
    ['a/a/a/a/', undefined],
    ['a//a/a', undefined],
    ['a', ['', 'a']],
    ['a/aa', ['a', 'aa']],
    ['a/aa/a', ['a', 'aa/a']],
    ['foo.com', ['', 'foo.com']],
    ['foo.com/', undefined],
    ['foo.com:8080/bar', ['foo.com:8080', 'bar']],
    ['foo.com:http/bar', undefined],
    ['foo.com/bar', ['foo.com', 'bar']],
    ['foo.com/bar/baz', ['foo.com', 'bar/baz']],
    ['localhost:8080/bar', ['localhost:8080', 'bar']],
    ['sub-dom1.foo.com/bar/baz/quux', ['sub-dom1.foo.com', 'bar/baz/quux']],
    ['blog.foo.com/bar/baz', ['blog.foo.com', 'bar/baz']],
    ['a^a', undefined],
    ['aa/asdf$$^/aa', undefined],
    ['asdf$$^/aa', undefined],
    ['aa-a/a', ['aa-a', 'a']],
    [`${'a/'.repeat(127)}a`, ['a', `${'a/'.repeat(126)}a`]],
    ['a-/a/a/a', undefined],
    ['foo.com/a-/a/a', undefined],
    ['-foo/bar', undefined],
    ['foo/bar-', undefined],
    ['foo-/bar', undefined],
    ['foo/-bar', undefined],
    ['_foo/bar', undefined],
    ['foo_bar', ['', 'foo_bar']],
    ['foo_bar.com', ['', 'foo_bar.com']],
    ['foo_bar.com:8080/app', undefined],
    ['foo.com/foo_bar', ['foo.com', 'foo_bar']],
    ['____/____', undefined],
    ['_docker/_docker', undefined],
    ['docker_/docker_', undefined],
    ['b.gcr.io/test.example.com/my-app', ['b.gcr.io', 'test.example.com/my-app']],
    ['xn--n3h.com/myimage', ['xn--n3h.com', 'myimage']],
    ['xn--7o8h.com/myimage', ['xn--7o8h.com', 'myimage']],
    ['example.com/xn--7o8h.com/myimage', ['example.com', 'xn--7o8h.com/myimage']],
    ['example.com/some_separator__underscore/myimage', ['example.com', 'some_separator__underscore/myimage']],
    ['example.com/__underscore/myimage', undefined],
    ['example.com/..dots/myimage', undefined],
    ['example.com/.dots/myimage', undefined],
    ['example.com/nodouble..dots/myimage', undefined],
    ['docker./docker', undefined],
    ['.docker/docker', undefined],
    ['docker-/docker', undefined],
    ['-docker/docker', undefined],
    ['do..cker/docker', undefined],
    ['do__cker:8080/docker', undefined],
    ['do__cker/docker', ['', 'do__cker/docker']],
    ['registry.io/foo/project--id.module--name.ver---sion--name', ['registry.io', 'foo/project--id.module--name.ver---sion--name']],
    ['Asdf.com/foo/bar', ['Asdf.com', 'foo/bar']],
    ['Foo/FarB', undefined],
    // distribution/reference TestDomainAndPath
    ['test.com/foo', ['test.com', 'foo']],
    ['test_com/foo', ['', 'test_com/foo']],
    ['test:8080/foo', ['test:8080', 'foo']],
    ['test.com:8080/foo', ['test.com:8080', 'foo']],
    ['test-com:8080/foo', ['test-com:8080', 'foo']],
    ['xn--n3h.com:18080/foo', ['xn--n3h.com:18080', 'foo']],
  ])('%j', (input, expected) => {
    const ref = tryParseReference(input);
    if (expected === undefined) {
      // A name that only works as `name:tag` is not what this table means.
      if (ref !== undefined) expect(ref.tag).toBeDefined();
      return;
    }
    expect(ref).toBeDefined();
    expect([ref?.domain ?? '', ref?.path]).toEqual(expected);
    expect(isNameOnly(ref!)).toBe(true);
  });
});
