import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import { parseDaemonOptions } from '../../src/cli/daemon-options.js';

test('defaults derive the socket from the root', () => {
  const o = parseDaemonOptions(['--root', '/data/x']);
  expect(o.root).toBe('/data/x');
  expect(o.socket).toBe(process.getuid?.() === 0 ? '/run/imaged/imaged.sock' : '/data/x/imaged.sock');
  expect(o.tcp).toBeUndefined();
});

test.each([
  [['--tcp', '127.0.0.1:7070'], '127.0.0.1:7070'],
  [['--tcp', '[::1]:7070'], '[::1]:7070'],
  [['--tcp', 'localhost:0'], 'localhost:0'],
])('--tcp %j', (args, tcp) => {
  expect(parseDaemonOptions(args).tcp).toBe(tcp);
});

test('the sandbox image is pinned by default; --pinned-image adds more; bad references are refused', () => {
  expect(parseDaemonOptions([]).pinnedImages).toEqual(['registry.k8s.io/pause:3.10']);
  expect(parseDaemonOptions(['--sandbox-image', 'pause:1', '--pinned-image', 'a/b:c', '--pinned-image', 'd']).pinnedImages).toEqual(['pause:1', 'a/b:c', 'd']);
  expect(() => parseDaemonOptions(['--pinned-image', 'Bad Ref'])).toThrow(/--sandbox-image\/--pinned-image "Bad Ref"/);
});

test('security and limit flags: defaults, parsed values', () => {
  const d = parseDaemonOptions([]);
  expect([d.tls, d.socketGroup, d.socketMode, d.maxMessageSize, d.maxConcurrentStreams]).toEqual([undefined, undefined, 0o660, 16 << 20, undefined]);
  const o = parseDaemonOptions([
    ...['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--tls-client-ca', 'ca.pem', '--socket-group', 'imaged', '--socket-mode', '0640'],
    ...['--max-message-size', '4194304', '--max-concurrent-streams', '100'],
  ]);
  expect(o.tls).toEqual({ cert: 'c.pem', key: 'k.pem', clientCa: 'ca.pem' });
  expect([o.socketGroup, o.socketMode, o.maxMessageSize, o.maxConcurrentStreams]).toEqual(['imaged', 0o640, 4 << 20, 100]);
  expect(parseDaemonOptions(['--tls-cert', 'c', '--tls-key', 'k']).tls).toEqual({ cert: 'c', key: 'k' });
  expect(parseDaemonOptions(['--socket-mode', '600']).socketMode).toBe(0o600);
});

test.each([
  [['--tls-cert', 'c'], '--tls-cert and --tls-key go together: give both or neither'],
  [['--tls-key', 'k'], '--tls-cert and --tls-key go together: give both or neither'],
  [['--tls-client-ca', 'ca'], '--tls-client-ca needs --tls-cert and --tls-key'],
  [['--socket-mode', '0680'], '--socket-mode "0680": expected octal permission bits such as 0660'],
  [['--socket-mode', 'rw-rw----'], '--socket-mode "rw-rw----": expected octal permission bits such as 0660'],
  [['--max-message-size', '1024'], '--max-message-size "1024": expected a whole number from 4194304 to 2147483647'],
  [['--max-message-size', '16MiB'], '--max-message-size "16MiB": expected a whole number from 4194304 to 2147483647'],
  [['--max-concurrent-streams', '0'], '--max-concurrent-streams "0": expected a whole number from 1 to 2147483647'],
  [['--max-concurrent-streams', '99999999999'], '--max-concurrent-streams "99999999999": expected a whole number from 1 to 2147483647'],
])('%j is refused: %s', (args, message) => {
  expect(() => parseDaemonOptions(args)).toThrow(message);
});

test.each([[['--tcp', '7070']], [['--tcp', 'a b:1']], [['--nope']], [['positional']], [['--root']]])(
  'rejects %j with InvalidArgument',
  (args) => {
    expect(() => parseDaemonOptions(args)).toThrow(ImagedError);
  },
);

test('any argument list parses or is InvalidArgument', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(
          ...['--root', '--address', '--tcp', '--help', '-h', '--version', '--tls-cert', '--tls-key', '--tls-client-ca'],
          ...['--socket-group', '--socket-mode', '--max-message-size', '--max-concurrent-streams'],
        ), fc.string())), (args) => {
      try {
        parseDaemonOptions(args);
      } catch (err) {
        expect((err as ImagedError).kind).toBe('InvalidArgument');
      }
    }),
    { numRuns: 2000 },
  );
});
