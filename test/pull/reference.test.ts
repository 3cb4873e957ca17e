import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import { parseReference, pullScope } from '../../src/pull/index.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('image references', () => {
  it.each([
    ['busybox', 'docker.io', 'library/busybox', 'latest', undefined, 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io', 'library/busybox', '1.36', undefined, 'docker.io/library/busybox:1.36'],
    ['user/app', 'docker.io', 'user/app', 'latest', undefined, 'docker.io/user/app:latest'],
    ['docker.io/busybox', 'docker.io', 'library/busybox', 'latest', undefined, 'docker.io/library/busybox:latest'],
    ['index.docker.io/library/busybox', 'docker.io', 'library/busybox', 'latest', undefined, 'docker.io/library/busybox:latest'],
    ['ghcr.io/o/r/sub:v1', 'ghcr.io', 'o/r/sub', 'v1', undefined, 'ghcr.io/o/r/sub:v1'],
    ['localhost/app', 'localhost', 'app', 'latest', undefined, 'localhost/app:latest'],
    ['127.0.0.1:5000/a/b', '127.0.0.1:5000', 'a/b', 'latest', undefined, '127.0.0.1:5000/a/b:latest'],
    [`127.0.0.1:5000/a/b@${D}`, '127.0.0.1:5000', 'a/b', undefined, D, `127.0.0.1:5000/a/b@${D}`],
    [`r.example/a:t@${D}`, 'r.example', 'a', 't', D, `r.example/a:t@${D}`],
    ['[::1]:5000/a', '[::1]:5000', 'a', 'latest', undefined, '[::1]:5000/a:latest'],
    ['Host/a', 'Host', 'a', 'latest', undefined, 'Host/a:latest'],
  ])('%s', (input, host, repository, tag, digest, name) => {
    const ref = parseReference(input);
    expect(ref).toEqual({ host, repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }), name });
  });

  it('gives the pull scope of the repository', () => {
    expect(pullScope(parseReference('127.0.0.1:5000/a/b:v1'))).toBe('repository:a/b:pull');
  });

  it.each([
    ['', /reference is empty/],
    ['Busybox', /must be lowercase/],
    ['a//b', /invalid reference "a\/\/b"/],
    ['r.example/', /invalid reference "r.example\/"/],
    ['busybox:-x', /invalid reference "busybox:-x"/],
    ['busybox@sha256:abc', /sha256 needs 64 hex characters/],
    ['bad..host/a', /invalid reference "bad..host\/a"/],
  ])('refuses %j', (input, message) => {
    expect(() => parseReference(input)).toThrow(message);
  });

  it('parses any string or rejects it with InvalidArgument', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        try {
          const ref = parseReference(s);
          expect(parseReference(ref.name)).toEqual(ref);
        } catch (err) {
          expect(err).toBeInstanceOf(ImagedError);
          expect((err as ImagedError).kind).toBe('InvalidArgument');
        }
      }),
      { numRuns: 3000 },
    );
  });
});
