/**
 * Who may use the unix socket: its mode and group, and the refusal to serve where others could
 * reach or replace it (a world-writable socket, or a directory on its path that others can write
 * to without the sticky bit).
 */
import { chmodSync, chownSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { failedPrecondition, invalidArgument } from '../errdefs/index.js';

/** The socket's mode when none is given: owner and group may connect. */
export const DEFAULT_SOCKET_MODE = 0o660;

const OTHERS_WRITE = 0o002;
const STICKY = 0o1000;

const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;

/** Throws InvalidArgument unless `mode` is a permission mode (0–0777) that does not let everyone connect. */
export function checkSocketMode(mode: number): void {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o777) throw invalidArgument(`socket mode ${mode}: expected permission bits from 0 to 0777`);
  if ((mode & OTHERS_WRITE) !== 0) {
    throw invalidArgument(`socket mode ${octal(mode)} lets every user on the machine connect (others may write); use 0660 or stricter`);
  }
}

/**
 * Throws FailedPrecondition when the socket's directory, or one above it, can be written by others
 * without the sticky bit: anyone could then rename the socket away and put their own in its place.
 * Directories that do not exist yet are skipped (the daemon creates them without write for others).
 */
export function checkSocketDirectories(socket: string): void {
  for (let dir = dirname(socket); ; dir = dirname(dir)) {
    const mode = statSync(dir, { throwIfNoEntry: false })?.mode ?? 0;
    if ((mode & OTHERS_WRITE) !== 0 && (mode & STICKY) === 0) {
      throw failedPrecondition(
        `refusing to serve on ${socket}: directory ${dir} (mode ${octal(mode)}) is writable by every user and not sticky, so anyone could replace the socket; chmod o-w or +t it, or choose another --address`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * Runs `create` under umask 0177, so a socket it binds starts out usable by its owner only and no
 * one else can connect before {@link applySocketPermissions} sets its group and mode.
 */
export async function withOwnerOnlyUmask<T>(create: () => Promise<T>): Promise<T> {
  const previous = process.umask(0o177);
  try {
    return await create();
  } finally {
    process.umask(previous);
  }
}

/** Gives the socket at `path` group `gid` (when set) and then `mode`. */
export function applySocketPermissions(path: string, mode: number, gid: number | undefined): void {
  if (gid !== undefined) chownSync(path, -1, gid);
  chmodSync(path, mode);
}
