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

test('logs at info in the auto format and serves no metrics by default; the flags change that', () => {
  expect(parseDaemonOptions([])).toMatchObject({ logLevel: 'info', logFormat: 'auto', metricsAddress: undefined });
  expect(parseDaemonOptions(['--log-level', 'debug', '--log-format', 'text', '--metrics-address', '127.0.0.1:0'])).toMatchObject({
    logLevel: 'debug',
    logFormat: 'text',
    metricsAddress: '127.0.0.1:0',
  });
});

test.each([
  [['--log-level', 'trace'], '--log-level "trace": expected one of debug, info, warn, error'],
  [['--log-format', 'pretty'], '--log-format "pretty": expected one of json, text, auto'],
  [['--metrics-address', '9090'], '--metrics-address "9090": expected HOST:PORT'],
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
    fc.property(fc.array(fc.oneof(fc.constantFrom('--root', '--address', '--tcp', '--help', '-h', '--version', '--log-level', '--log-format', '--metrics-address'), fc.string())), (args) => {
      try {
        parseDaemonOptions(args);
      } catch (err) {
        expect((err as ImagedError).kind).toBe('InvalidArgument');
      }
    }),
    { numRuns: 2000 },
  );
});
