/** Progress display of imagectl pull: live redraw on a terminal, state-change lines elsewhere. */
import { create } from '@bufbuild/protobuf';
import { blobKind, lineDisplay, liveDisplay } from '../../src/imagectl/pull-display.js';
import { BlobStatus, PullProgressSchema } from '../../gen/imaged/events/v1/pull_pb.js';

const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const CONFIG = 'application/vnd.oci.image.config.v1+json';
const layer = `sha256:${'1'.repeat(64)}`;
const config = `sha256:${'2'.repeat(64)}`;

/** A progress event with the layer at `offset` of 10 MB and the config in `configStatus`. */
const progress = (offset: number, status: BlobStatus, configStatus = BlobStatus.WAITING, done = false) =>
  create(PullProgressSchema, {
    id: 'p1',
    reference: 'docker.io/library/x:1',
    blobs: [
      { digest: layer, mediaType: LAYER, total: 10_000_000n, offset: BigInt(offset), status },
      { digest: config, mediaType: CONFIG, total: 1_000n, offset: 0n, status: configStatus },
    ],
    downloadedBytes: BigInt(offset),
    bytesPerSecond: 1_000_000n,
    done,
  });

const capture = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { out: { isTTY, columns: 120, write: (s: string | Uint8Array) => (chunks.push(String(s)), true) }, chunks };
};

test('on a terminal: one line per blob plus a total, redrawn in place, with speed and ETA', () => {
  const { out, chunks } = capture(true);
  const display = liveDisplay(out, 0);
  display.update(progress(1_000_000, BlobStatus.DOWNLOADING), 1_000);
  display.update(progress(3_000_000, BlobStatus.DOWNLOADING), 2_000);
  display.update(progress(10_000_000, BlobStatus.DONE, BlobStatus.REUSED, true), 3_000);
  display.end();
  expect(chunks).toHaveLength(3);
  expect(chunks[0]).not.toContain('\x1b[3F');
  const second = chunks[1]!;
  expect(second.startsWith('\x1b[3F')).toBe(true);
  const lines = second.slice('\x1b[3F'.length).split('\n').filter(Boolean);
  expect(lines).toHaveLength(3);
  for (const l of lines) expect(l.startsWith('\x1b[2K')).toBe(true);
  expect(lines[0]).toMatch(/layer +sha256:111111111111 +downloading +3MB\/10MB +2MB\/s +ETA 4s$/);
  expect(lines[1]).toMatch(/config +sha256:222222222222 +waiting +1kB$/);
  expect(lines[2]).toMatch(/total +3MB +1MB\/s +2s$/);
  expect(chunks[2]).toMatch(/layer +sha256:111111111111 +done +10MB/);
  expect(chunks[2]).toMatch(/config +sha256:222222222222 +exists +1kB/);
});

test('elsewhere: a line when a blob starts downloading, finishes or exists; nothing for waiting or repeats', () => {
  const { out, chunks } = capture(false);
  const display = lineDisplay(out);
  display.update(progress(0, BlobStatus.WAITING), 0);
  display.update(progress(1_000_000, BlobStatus.DOWNLOADING), 1);
  display.update(progress(2_000_000, BlobStatus.DOWNLOADING), 2);
  display.update(progress(10_000_000, BlobStatus.DONE, BlobStatus.REUSED, true), 3);
  expect(chunks.join('')).toBe(
    'layer    sha256:111111111111  downloading  1MB/10MB\nlayer    sha256:111111111111  done  10MB\nconfig   sha256:222222222222  exists  1kB\n',
  );
});

test.each([
  ['application/vnd.oci.image.index.v1+json', 'index'],
  ['application/vnd.docker.distribution.manifest.v2+json', 'manifest'],
  [CONFIG, 'config'],
  [LAYER, 'layer'],
  ['application/octet-stream', 'blob'],
])('blobKind(%p) is %p', (mediaType, kind) => expect(blobKind(mediaType)).toBe(kind));
