/**
 * Showing a pull's progress events: on a terminal, one line per blob (bytes, speed, ETA) redrawn in
 * place; elsewhere, one plain line each time a blob starts, finishes or is found already present.
 */
import { isConfig, isIndex, isLayer, isManifest } from '../images/handlers/index.js';
import { BlobStatus, type BlobProgress, type PullProgress } from '../../gen/imaged/events/v1/pull_pb.js';
import { humanSize, shortDuration } from './format/index.js';
import type { Output } from './session.js';

/** Renders successive progress events of one pull. */
export interface PullDisplay {
  /** Shows `progress`, received at `atMs`. */
  update(progress: PullProgress, atMs: number): void;
  /** Leaves the last state on screen. */
  end(): void;
}

/** What kind of blob `mediaType` is: index, manifest, config, layer or blob. */
export function blobKind(mediaType: string): string {
  if (isIndex(mediaType)) return 'index';
  if (isManifest(mediaType)) return 'manifest';
  if (isConfig(mediaType)) return 'config';
  return isLayer(mediaType) ? 'layer' : 'blob';
}

const STATUS_WORDS: Readonly<Record<BlobStatus, string>> = {
  [BlobStatus.UNSPECIFIED]: 'unknown',
  [BlobStatus.WAITING]: 'waiting',
  [BlobStatus.DOWNLOADING]: 'downloading',
  [BlobStatus.DONE]: 'done',
  [BlobStatus.REUSED]: 'exists',
};

/** `layer sha256:0123456789ab` for a blob. */
const blobName = (blob: BlobProgress): string => `${blobKind(blob.mediaType).padEnd(8)} ${blob.digest.slice(0, 19)}`;

/** One line per blob state change, for logs and pipes. */
export function lineDisplay(out: Output): PullDisplay {
  const shown = new Map<string, BlobStatus>();
  return {
    update(progress) {
      for (const blob of progress.blobs) {
        if (blob.status === BlobStatus.WAITING || shown.get(blob.digest) === blob.status) continue;
        shown.set(blob.digest, blob.status);
        const size = blob.status === BlobStatus.DOWNLOADING && blob.offset > 0n ? `${humanSize(Number(blob.offset))}/${humanSize(Number(blob.total))}` : humanSize(Number(blob.total));
        out.write(`${blobName(blob)}  ${STATUS_WORDS[blob.status]}  ${size}\n`);
      }
    },
    end() {},
  };
}

/** Per-blob lines with speed and ETA, redrawn in place on a terminal. */
export function liveDisplay(out: Output, startedMs: number): PullDisplay {
  const firstSeen = new Map<string, { atMs: number; offset: bigint }>();
  let drawn = 0;
  const line = (blob: BlobProgress, atMs: number): string => {
    const head = `${blobName(blob)}  ${STATUS_WORDS[blob.status].padEnd(11)}`;
    if (blob.status !== BlobStatus.DOWNLOADING) return `${head} ${humanSize(Number(blob.total))}`;
    let first = firstSeen.get(blob.digest);
    if (first === undefined) firstSeen.set(blob.digest, (first = { atMs, offset: blob.offset }));
    const seconds = (atMs - first.atMs) / 1000;
    const rate = seconds > 0 ? Number(blob.offset - first.offset) / seconds : 0;
    const eta = rate > 0 ? `ETA ${shortDuration(Number(blob.total - blob.offset) / rate)}` : '';
    return `${head} ${humanSize(Number(blob.offset))}/${humanSize(Number(blob.total))}  ${rate > 0 ? `${humanSize(rate)}/s` : ''}  ${eta}`.trimEnd();
  };
  return {
    update(progress, atMs) {
      // A pty may report 0 columns; assume 80 then. One column is left free so lines never wrap.
      const width = Math.max((out.columns || 80) - 1, 20);
      const total = `total    ${humanSize(Number(progress.downloadedBytes))}  ${humanSize(Number(progress.bytesPerSecond))}/s  ${shortDuration((atMs - startedMs) / 1000)}`;
      const lines = [...progress.blobs.map((b) => line(b, atMs)), total].map((l) => `\x1b[2K${l.slice(0, width)}\n`);
      out.write(`${drawn > 0 ? `\x1b[${drawn}F` : ''}${lines.join('')}`);
      drawn = lines.length;
    },
    end() {},
  };
}
