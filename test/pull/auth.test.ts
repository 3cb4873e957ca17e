import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import { parseWwwAuthenticate, registryMessage, toSecret } from '../../src/pull/index.js';

describe('WWW-Authenticate', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } }],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['BASIC Realm=plain', [{ scheme: 'basic', params: { realm: 'plain' } }]],
    [
      'Basic realm="b", Bearer realm="https://t/x", service=svc, error="insufficient_scope"',
      [
        { scheme: 'bearer', params: { realm: 'https://t/x', service: 'svc', error: 'insufficient_scope' } },
        { scheme: 'basic', params: { realm: 'b' } },
      ],
    ],
    ['Bearer realm="with \\"quotes\\" and, comma"', [{ scheme: 'bearer', params: { realm: 'with "quotes" and, comma' } }]],
    ['Negotiate abc==, Basic realm="r"', [{ scheme: 'basic', params: { realm: 'r' } }, { scheme: 'negotiate', params: {} }]],
    ['', []],
    ['"garbage', []],
  ])('%s', (header, expected) => {
    expect(parseWwwAuthenticate(header)).toEqual(expected);
  });

  it('reads several header values, bearer first', () => {
    expect(parseWwwAuthenticate(['Basic realm="a"', 'Bearer realm="b"']).map((c) => c.scheme)).toEqual(['bearer', 'basic']);
  });

  it('never throws or loops on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        for (const c of parseWwwAuthenticate(s)) expect(c.scheme).toBe(c.scheme.toLowerCase());
      }),
      { numRuns: 3000 },
    );
  });
});

describe('credentials', () => {
  it('normalises the three CRI forms into user + secret', () => {
    expect(toSecret({ username: 'u', password: 'p:w' })).toEqual({ username: 'u', secret: 'p:w' });
    expect(toSecret({ auth: Buffer.from('u:p:w').toString('base64') })).toEqual({ username: 'u', secret: 'p:w' });
    expect(toSecret({ auth: Buffer.from('u:pw\0\0').toString('base64') })).toEqual({ username: 'u', secret: 'pw' });
    expect(toSecret({ identityToken: 'tok' })).toEqual({ username: '', secret: 'tok' });
  });

  it('refuses a malformed auth field without quoting it', () => {
    for (const auth of ['not base64 s3cret!', Buffer.from('nocolons3cret').toString('base64')]) {
      let err: unknown;
      try {
        toSecret({ auth });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ImagedError);
      expect((err as ImagedError).kind).toBe('InvalidArgument');
      expect((err as ImagedError).message).not.toMatch(/s3cret|bm9jb2xvbn/);
    }
  });
});

describe('registry error bodies', () => {
  const msg = (body: unknown) => registryMessage(Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)));
  it('quotes errors[].message, falling back to the code, and OAuth errors', () => {
    expect(msg({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'x' } }] })).toBe('manifest unknown');
    expect(msg({ errors: [{ code: 'DENIED' }, { code: 'UNAUTHORIZED', message: 'authentication required' }] })).toBe('denied; authentication required');
    expect(msg({ error: 'invalid_grant', error_description: 'bad refresh token' })).toBe('bad refresh token');
    expect(msg('<html>502</html>')).toBeUndefined();
    expect(msg({ errors: [{ message: 'x'.repeat(1000) }] })?.length).toBe(301);
  });
});
