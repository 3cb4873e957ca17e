/** The pull progress tracker: blob states, byte counts and the throttled snapshot stream. */
import { jest } from '@jest/globals';
import { trackPull, type PullSnapshot } from '../../src/pull/index.js';

const layer = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${'a'.repeat(64)}`, size: 100, annotations: {} };
const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'b'.repeat(64)}`, size: 10, annotations: {} };

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('one snapshot at start, at most one per interval while running, one final', () => {
  const seen: PullSnapshot[] = [];
  const tracker = trackPull('docker.io/library/x:1', (s) => seen.push(s), 200);
  expect(seen).toHaveLength(1);
  expect(seen[0]).toEqual(expect.objectContaining({ reference: 'docker.io/library/x:1', blobs: [], done: false, error: '' }));
  tracker.waiting(layer);
  tracker.waiting(config);
  tracker.downloading(layer.digest, 30);
  for (let i = 0; i < 10; i++) tracker.advanced(layer.digest, 5);
  expect(seen).toHaveLength(1);
  jest.advanceTimersByTime(200);
  expect(seen).toHaveLength(2);
  expect(seen[1]!.blobs[0]).toEqual({ digest: layer.digest, mediaType: layer.mediaType, total: 100, offset: 80, state: 'downloading' });
  expect(seen[1]!.downloadedBytes).toBe(50);
  tracker.stored(config.digest, true);
  tracker.stored(layer.digest, false);
  tracker.finish(config.digest);
  expect(seen).toHaveLength(3);
  expect(seen[2]).toEqual(expect.objectContaining({ done: true, imageRef: config.digest, downloadedBytes: 50 }));
  expect(seen[2]!.blobs.map((b) => [b.state, b.offset])).toEqual([['done', 100], ['reused', 10]]);
  // Nothing after the end: no timer fires, further calls are ignored.
  tracker.advanced(layer.digest, 1);
  tracker.fail('late');
  jest.advanceTimersByTime(1000);
  expect(seen).toHaveLength(3);
  expect(new Set(seen.map((s) => s.id)).size).toBe(1);
});

test('a failure ends the stream with the error and no image ref', () => {
  const seen: PullSnapshot[] = [];
  const tracker = trackPull('r', (s) => seen.push(s), 200);
  tracker.waiting(layer);
  tracker.fail('registry said no');
  jest.advanceTimersByTime(1000);
  expect(seen.map((s) => [s.done, s.error, s.imageRef])).toEqual([
    [false, '', ''],
    [true, 'registry said no', ''],
  ]);
});
