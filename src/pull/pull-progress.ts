/**
 * Progress of one pull: which blobs it stores, how far each has come, and a throttled stream of
 * snapshots (one at start, at most one per interval while it runs, one final) for whoever reports it.
 */
import { randomUUID } from 'node:crypto';
import type { Descriptor } from '../content/index.js';

/** Where one blob of a pull stands. */
export type BlobState = 'waiting' | 'downloading' | 'done' | 'reused';

/** One blob of a pull. */
export interface BlobProgress {
  /** The blob's digest. */
  readonly digest: string;
  /** Its media type. */
  readonly mediaType: string;
  /** Its size from the descriptor. */
  readonly total: number;
  /** Bytes stored so far. */
  readonly offset: number;
  /** Where it stands. */
  readonly state: BlobState;
}

/** A pull's progress at one moment. */
export interface PullSnapshot {
  /** Identifies the pull. */
  readonly id: string;
  /** The normalized reference being pulled. */
  readonly reference: string;
  /** The image ID (config digest), once the pull has finished. */
  readonly imageRef: string;
  /** The blobs, in the order the pull first needed them. */
  readonly blobs: readonly BlobProgress[];
  /** Bytes downloaded (not reused, not resumed). */
  readonly downloadedBytes: number;
  /** Average download rate since the start, bytes per second. */
  readonly bytesPerSecond: number;
  /** Whether this is the final snapshot. */
  readonly done: boolean;
  /** Why the pull failed (final snapshot only). */
  readonly error: string;
}

/** What a puller tells about the blobs it stores. */
export interface PullObserver {
  /** `desc` is needed; it waits for a download slot or another pull of it. */
  waiting(desc: Descriptor): void;
  /** `digest` downloads from `offset` (above 0 when resuming). */
  downloading(digest: string, offset: number): void;
  /** `bytes` more of `digest` are stored. */
  advanced(digest: string, bytes: number): void;
  /** `digest` is committed by this pull (`reused` false) or was already there (`reused` true). */
  stored(digest: string, reused: boolean): void;
}

/** The progress of one pull, fed by the puller and ended by the caller. */
export interface PullProgressTracker extends PullObserver {
  /** Ends the pull successfully: the final snapshot carries `imageRef`. */
  finish(imageRef: string): void;
  /** Ends the pull with `error`. */
  fail(error: string): void;
}

/** Snapshots at most this often while a pull runs (plus the first and the final one). */
const PROGRESS_INTERVAL_MS = 200;

/** Starts tracking a pull of `reference`; `report` receives the first snapshot at once. */
export function trackPull(
  reference: string,
  report: (snapshot: PullSnapshot) => void,
  intervalMs: number = PROGRESS_INTERVAL_MS,
): PullProgressTracker {
  const id = randomUUID();
  const started = Date.now();
  const blobs = new Map<string, { desc: Descriptor; offset: number; state: BlobState }>();
  let downloaded = 0;
  let lastReport = 0;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;

  const send = (end?: { imageRef: string; error: string }): void => {
    lastReport = Date.now();
    const seconds = Math.max(lastReport - started, 1) / 1000;
    report({
      id,
      reference,
      imageRef: end?.imageRef ?? '',
      blobs: [...blobs.values()].map(({ desc, offset, state }) => ({ digest: desc.digest, mediaType: desc.mediaType, total: desc.size, offset, state })),
      downloadedBytes: downloaded,
      bytesPerSecond: Math.round(downloaded / seconds),
      done: end !== undefined,
      error: end?.error ?? '',
    });
  };
  const changed = (): void => {
    if (ended || timer !== undefined) return;
    const wait = lastReport + intervalMs - Date.now();
    if (wait <= 0) return send();
    timer = setTimeout(() => {
      timer = undefined;
      if (!ended) send();
    }, wait);
    timer.unref();
  };
  const end = (imageRef: string, error: string): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    send({ imageRef, error });
  };
  const update = (digest: string, change: (blob: { offset: number; state: BlobState; desc: Descriptor }) => void): void => {
    const blob = blobs.get(digest);
    if (blob === undefined) return;
    change(blob);
    changed();
  };

  send();
  return {
    waiting(desc) {
      if (!blobs.has(desc.digest)) blobs.set(desc.digest, { desc, offset: 0, state: 'waiting' });
      changed();
    },
    downloading: (digest, offset) =>
      update(digest, (blob) => {
        blob.state = 'downloading';
        blob.offset = offset;
      }),
    advanced: (digest, bytes) =>
      update(digest, (blob) => {
        blob.offset += bytes;
        downloaded += bytes;
      }),
    stored: (digest, reused) =>
      update(digest, (blob) => {
        blob.state = reused ? 'reused' : 'done';
        blob.offset = blob.desc.size;
      }),
    finish: (imageRef) => end(imageRef, ''),
    fail: (error) => end('', error),
  };
}
