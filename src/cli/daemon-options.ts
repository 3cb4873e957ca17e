/** Command-line options of the `imaged` daemon and their defaults. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { invalidArgument } from '../errdefs/index.js';
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/index.js';
import { parseDockerRef } from '../reference/index.js';

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
  /** References pulled as pinned (kubelet's image GC leaves them alone); includes the sandbox image. */
  readonly pinnedImages: readonly string[];
  /** Lowest level logged. */
  readonly logLevel: LogLevel;
  /** Log line format. */
  readonly logFormat: LogFormat;
  /** Where to serve Prometheus metrics, `host:port`; off when undefined. */
  readonly metricsAddress: string | undefined;
  /** Print usage and exit. */
  readonly help: boolean;
  /** Print the version and exit. */
  readonly version: boolean;
}

/** The pause image CRI pins by default, as containerd 2.x configures it. */
export const DEFAULT_SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

/** `ref` if it is a valid image reference; InvalidArgument naming the option otherwise. */
function checkedReference(ref: string): string {
  try {
    parseDockerRef(ref);
    return ref;
  } catch (err) {
    throw invalidArgument(`--sandbox-image/--pinned-image ${JSON.stringify(ref)}: ${(err as Error).message}`);
  }
}

/** `value` of `flag` if it is `HOST:PORT`; InvalidArgument otherwise. */
function checkedHostPort(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && !/^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(value)) {
    throw invalidArgument(`${flag} ${JSON.stringify(value)}: expected HOST:PORT, e.g. 127.0.0.1:7070`);
  }
  return value;
}

/** `value` of `flag` if it is one of `allowed`; InvalidArgument listing them otherwise. */
function checkedChoice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidArgument(`${flag} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
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
  --sandbox-image REF
                    the pause image, pulled as pinned (default: registry.k8s.io/pause:3.10)
  --pinned-image REF
                    pull REF as pinned too (repeatable)
  --log-level LEVEL debug, info, warn or error (default: info)
  --log-format FORMAT
                    json, text, or auto: text when stderr is a terminal, else json (default: auto)
  --metrics-address HOST:PORT
                    serve Prometheus metrics at http://HOST:PORT/metrics (default: off; port 0 picks one)
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
        'sandbox-image': { type: 'string' },
        'pinned-image': { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        'metrics-address': { type: 'string' },
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
  const tcp = checkedHostPort('--tcp', values.tcp);
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
    pinnedImages: [values['sandbox-image'] ?? DEFAULT_SANDBOX_IMAGE, ...(values['pinned-image'] ?? [])].map(checkedReference),
    logLevel: checkedChoice('--log-level', values['log-level'] ?? 'info', LOG_LEVELS),
    logFormat: checkedChoice('--log-format', values['log-format'] ?? 'auto', LOG_FORMATS),
    metricsAddress: checkedHostPort('--metrics-address', values['metrics-address']),
    help: values.help,
    version: values.version,
  };
}
