import fc from 'fast-check';
import { pinnedMatcher } from '../../src/cri/pinned-images.js';

test('exact references match in any spelling; patterns match the normalized reference, * within one path component', () => {
  const pinned = pinnedMatcher(['busybox', 'registry.k8s.io/pause:3.10', 'registry.k8s.io/coredns/*:*', 'example.com/team/app-*:v1']);
  expect(pinned('docker.io/library/busybox:latest')).toBe(true);
  expect(pinned('docker.io/library/busybox:1.36')).toBe(false);
  expect(pinned('registry.k8s.io/pause:3.10')).toBe(true);
  expect(pinned('registry.k8s.io/pause:3.9')).toBe(false);
  expect(pinned('registry.k8s.io/coredns/coredns:v1.11.1')).toBe(true);
  expect(pinned('registry.k8s.io/coredns/a/b:v1')).toBe(false);
  expect(pinned('example.com/team/app-web:v1')).toBe(true);
  expect(pinned('example.com/team/app-web:v2')).toBe(false);
  expect(pinned('example.com/team/appweb:v1')).toBe(false);
});

test('regular-expression characters in patterns are literal', () => {
  const pinned = pinnedMatcher(['example.com/a.b/*:1.0']);
  expect(pinned('example.com/a.b/x:1.0')).toBe(true);
  expect(pinned('example.com/aXb/x:1.0')).toBe(false);
  expect(pinned('example.com/a.b/x:1x0')).toBe(false);
});

test('a reference matches itself and its tag pattern', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z0-9]{1,8}(\/[a-z0-9]{1,8}){0,2}:[a-z0-9]{1,6}$/), (ref) => {
      const full = `example.com/${ref}`;
      expect(pinnedMatcher([full])(full)).toBe(true);
      expect(pinnedMatcher([full.replace(/:[^:]*$/, ':*')])(full)).toBe(true);
    }),
  );
});
