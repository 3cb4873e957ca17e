/**
 * Where the daemon's files go by default: system paths when running as root, the user's own
 * directories otherwise. Kept free of other imports so clients (imagectl) can find the socket
 * without loading the daemon.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Whether this process runs as root. */
export const isRoot = (): boolean => process.getuid?.() === 0;

/** Default data directory for the current user. */
export const defaultRoot = (): string => (isRoot() ? '/var/lib/imaged' : join(homedir(), '.local', 'share', 'imaged'));

/** Default socket path for a data directory. */
export const defaultSocket = (root: string): string => (isRoot() ? '/run/imaged/imaged.sock' : join(root, 'imaged.sock'));
