/**
 * Full disks: the operating system's ENOSPC ("no space left on device") and EDQUOT ("disk quota
 * exceeded") become ResourceExhausted errors that say which directory's disk is full, so an operator
 * knows what to free; a caller may retry the same request once there is room again.
 */
import { ImagedError } from './errors.js';

/** errno names (Node's `code`) and numbers (LMDB's `code`) of a full disk or quota, on Linux. */
const DISK_FULL: ReadonlyMap<string | number, string> = new Map<string | number, string>([
  ['ENOSPC', 'no space left on device'],
  ['EDQUOT', 'disk quota exceeded'],
  [28, 'no space left on device'],
  [122, 'disk quota exceeded'],
]);

/** What the OS said, when `err` is a full-disk or quota error. */
function diskFullReason(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' || typeof code === 'number' ? DISK_FULL.get(code) : undefined;
}

/** Reports whether `err` is the operating system saying the disk or quota is full. */
export const isDiskFull = (err: unknown): boolean => diskFullReason(err) !== undefined;

/**
 * `err` as a ResourceExhausted error naming `what` was being written and `dir` (whose disk is
 * full) when it is a full-disk or quota error; `err` unchanged otherwise.
 */
export function diskFullError(err: unknown, what: string, dir: string): unknown {
  const reason = diskFullReason(err);
  return reason === undefined ? err : diskFull(what, dir, reason, err);
}

/** ResourceExhausted: writing `what` failed because the disk holding `dir` is full, as `reason` shows. */
export const diskFull = (what: string, dir: string, reason: string, cause?: unknown): ImagedError =>
  new ImagedError('ResourceExhausted', `${what}: the disk holding ${dir} is full (${reason}); free space there and retry`, cause);
