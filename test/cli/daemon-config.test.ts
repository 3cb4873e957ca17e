import { daemonConfigOf } from '../../src/cli/daemon-config.js';
import { resolveConfig, type FlagValues } from '../../src/config/index.js';

const of = (flags: FlagValues) => daemonConfigOf(resolveConfig(flags, undefined, 'config.toml'));

test('security and limit settings: defaults and given values reach the daemon', () => {
  const d = of({});
  expect([d.tls, d.socketGroup, d.socketMode, d.maxMessageSize, d.maxConcurrentStreams]).toEqual([undefined, undefined, 0o660, 16 << 20, undefined]);
  const o = of({
    ...{ 'tls-cert': 'c.pem', 'tls-key': 'k.pem', 'tls-client-ca': 'ca.pem', 'socket-group': 'imaged', 'socket-mode': '0640' },
    ...{ 'max-message-size': '4194304', 'max-concurrent-streams': '100' },
  });
  expect(o.tls).toEqual({ cert: 'c.pem', key: 'k.pem', clientCa: 'ca.pem' });
  expect([o.socketGroup, o.socketMode, o.maxMessageSize, o.maxConcurrentStreams]).toEqual(['imaged', 0o640, 4 << 20, 100]);
  expect(of({ 'tls-cert': 'c', 'tls-key': 'k' }).tls).toEqual({ cert: 'c', key: 'k' });
  expect(of({ 'sandbox-image': 'pause:1', 'pinned-image': ['a/b:c', 'd/*'] }).pinnedImages).toEqual(['pause:1', 'a/b:c', 'd/*']);
});

test.each([
  [{ 'tls-cert': 'c' }, 'grpc.tls_cert and grpc.tls_key (--tls-cert, --tls-key) go together: give both or neither'],
  [{ 'tls-key': 'k' }, 'grpc.tls_cert and grpc.tls_key (--tls-cert, --tls-key) go together: give both or neither'],
  [{ 'tls-client-ca': 'ca' }, 'grpc.tls_client_ca (--tls-client-ca) needs grpc.tls_cert and grpc.tls_key'],
  [{ 'socket-mode': '0680' }, '--socket-mode "0680": expected an octal file mode such as "0660"'],
  [{ 'socket-mode': 'rw-rw----' }, '--socket-mode "rw-rw----": expected an octal file mode'],
  [{ 'max-message-size': '1024' }, '--max-message-size "1024": expected a whole number from 4194304 to 2147483647'],
  [{ 'max-message-size': '16MiB' }, '--max-message-size "16MiB": expected a whole number from 4194304 to 2147483647'],
  [{ 'max-concurrent-streams': '99999999999' }, '--max-concurrent-streams "99999999999": expected a whole number from 0 to 2147483647'],
])('%j is refused: %s', (flags, message) => {
  expect(() => of(flags)).toThrow(message);
});

test('observability settings: metrics address and log settings', () => {
  expect(of({}).metricsAddress).toBeUndefined();
  expect(of({ 'metrics-address': '127.0.0.1:0' }).metricsAddress).toBe('127.0.0.1:0');
  const config = resolveConfig({ 'log-level': 'debug', 'log-format': 'text' }, undefined, 'config.toml');
  expect([config.logLevel, config.logFormat]).toEqual(['debug', 'text']);
  expect(() => of({ 'metrics-address': 'localhost' })).toThrow('--metrics-address "localhost": expected HOST:PORT');
  expect(() => of({ 'log-format': 'xml' })).toThrow('--log-format "xml": expected one of "json", "text", "auto"');
});
