/**
 * Defaults that clients need too: where the daemon's files go (system paths as root, the user's own
 * directories otherwise) and the CRI namespace. Free of other imports, so imagectl can use them
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

/** The namespace CRI images live in unless configured otherwise, as in containerd. */
export const DEFAULT_CRI_NAMESPACE = 'k8s.io';
