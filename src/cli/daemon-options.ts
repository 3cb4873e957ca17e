/** Command-line options of the `imaged` daemon and their defaults. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { invalidArgument } from '../errdefs/index.js';

/** Parsed daemon options. */
export interface DaemonOptions {
  /** Data directory. */
  readonly root: string;
  /** Unix socket path. */
  readonly socket: string;
  /** Optional TCP listener `host:port`. */
  readonly tcp: string | undefined;
  /** Directory of `<host>/hosts.toml` registry configurations. */
  readonly registryConfigDir: string;
  /** Layer downloads running at once across all pulls. */
  readonly maxConcurrentDownloads: number;
  /** Print usage and exit. */
  readonly help: boolean;
  /** Print the version and exit. */
  readonly version: boolean;
}

/** Usage text of the daemon. */
export const USAGE = `Usage: imaged [options]

Options:
  --root DIR        data directory (default: /var/lib/imaged as root, else ~/.local/share/imaged)
  --address PATH    unix socket to serve on (default: /run/imaged/imaged.sock as root, else ROOT/imaged.sock)
  --tcp HOST:PORT   also serve on this TCP address (plaintext; bind to 127.0.0.1)
  --registry-config-dir DIR
                    registry hosts configuration, containerd's certs.d layout: DIR/<host>/hosts.toml
                    (default: /etc/imaged/certs.d as root, else ROOT/certs.d)
  --max-concurrent-downloads N
                    layer downloads running at once across all pulls (default: 3)
  --version         print the version and exit
  -h, --help        print this help and exit
`;

const isRoot = (): boolean => process.getuid?.() === 0;

/** Default data directory for the current user. */
export const defaultRoot = (): string => (isRoot() ? '/var/lib/imaged' : join(homedir(), '.local', 'share', 'imaged'));

/** Default socket path for a data directory. */
export const defaultSocket = (root: string): string => (isRoot() ? '/run/imaged/imaged.sock' : join(root, 'imaged.sock'));

/** Parses daemon arguments; InvalidArgument with the offending option on error. */
export function parseDaemonOptions(args: readonly string[]): DaemonOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        root: { type: 'string' },
        address: { type: 'string', short: 'a' },
        tcp: { type: 'string' },
        'registry-config-dir': { type: 'string' },
        'max-concurrent-downloads': { type: 'string' },
        version: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw invalidArgument(`${(err as Error).message}\n\n${USAGE}`);
  }
  const root = values.root ?? defaultRoot();
  const tcp = values.tcp;
  if (tcp !== undefined && !/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(tcp)) {
    throw invalidArgument(`--tcp ${JSON.stringify(tcp)}: expected HOST:PORT, e.g. 127.0.0.1:7070`);
  }
  const downloads = values['max-concurrent-downloads'] ?? '3';
  if (!/^[1-9]\d{0,2}$/.test(downloads)) {
    throw invalidArgument(`--max-concurrent-downloads ${JSON.stringify(downloads)}: expected a whole number from 1 to 999`);
  }
  return {
    root,
    socket: values.address ?? defaultSocket(root),
    tcp,
    registryConfigDir: values['registry-config-dir'] ?? (isRoot() ? '/etc/imaged/certs.d' : join(root, 'certs.d')),
    maxConcurrentDownloads: Number(downloads),
    help: values.help,
    version: values.version,
  };
}
