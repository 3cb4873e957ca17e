import fc from 'fast-check';
import { isLoopbackAddress, tcpHost } from '../../src/server/tcp-address.js';

test.each([
  ['127.0.0.1:7070', true],
  ['127.1.2.3:0', true],
  ['localhost:7070', true],
  ['LOCALHOST:7070', true],
  ['[::1]:7070', true],
  ['[0:0:0:0:0:0:0:1]:7070', true],
  ['[::ffff:127.0.0.1]:7070', true],
  ['0.0.0.0:7070', false],
  ['10.0.0.1:7070', false],
  ['128.0.0.1:7070', false],
  ['[::]:7070', false],
  ['[::ffff:10.0.0.1]:7070', false],
  ['[fe80::1]:7070', false],
  ['example.com:7070', false],
  ['127.0.0.1.example.com:7070', false],
])('isLoopbackAddress(%j) is %j', (address, loopback) => {
  expect(isLoopbackAddress(address)).toBe(loopback);
});

test('tcpHost drops the port and IPv6 brackets', () => {
  expect(tcpHost('[::1]:80')).toBe('::1');
  expect(tcpHost('a.b:80')).toBe('a.b');
});

test('any host:port gives a boolean, never an exception', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6().map((h) => `[${h}]`), fc.domain()), fc.nat(65535), (host, port) => {
      expect(typeof isLoopbackAddress(`${host}:${port}`)).toBe('boolean');
    }),
    { numRuns: 2000 },
  );
});
