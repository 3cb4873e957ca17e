/** Command-line options of the `imaged` daemon and their defaults. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { invalidArgument } from '../errdefs/index.js';
import { parseDockerRef } from '../reference/index.js';
import { MAX_MESSAGE_SIZE } from '../server/daemon.js';
import { DEFAULT_SOCKET_MODE } from '../server/socket-permissions.js';
import type { TlsFiles } from '../server/tls-credentials.js';

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
  /** TLS files of the TCP listener; plaintext when undefined. */
  readonly tls: TlsFiles | undefined;
  /** Group (name or GID) of the unix socket; the daemon's own when undefined. */
  readonly socketGroup: string | undefined;
  /** Mode of the unix socket. */
  readonly socketMode: number;
  /** Largest gRPC message received or sent, in bytes. */
  readonly maxMessageSize: number;
  /** Concurrent streams per client connection; unlimited when undefined. */
  readonly maxConcurrentStreams: number | undefined;
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

/** Smallest --max-message-size: gRPC's default, well above the 1 MiB chunks Content.Read sends. */
const MIN_MESSAGE_SIZE = 4 << 20;

/** `text` as a whole number from `min` to `max`; InvalidArgument naming `flag` otherwise. */
function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = /^\d{1,10}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw invalidArgument(`${flag} ${JSON.stringify(text)}: expected a whole number from ${min} to ${max}`);
  return n;
}

/** The TLS files from the three --tls-* flags; cert and key go together, a client CA needs both. */
function tlsFiles(cert: string | undefined, key: string | undefined, clientCa: string | undefined): TlsFiles | undefined {
  if (cert === undefined && key === undefined) {
    if (clientCa !== undefined) throw invalidArgument('--tls-client-ca needs --tls-cert and --tls-key');
    return undefined;
  }
  if (cert === undefined || key === undefined) throw invalidArgument('--tls-cert and --tls-key go together: give both or neither');
  return { cert, key, ...(clientCa === undefined ? {} : { clientCa }) };
}

/** Usage text of the daemon. */
export const USAGE = `Usage: imaged [options]

Options:
  --root DIR        data directory (default: /var/lib/imaged as root, else ~/.local/share/imaged)
  --address PATH    unix socket to serve on (default: /run/imaged/imaged.sock as root, else ROOT/imaged.sock)
  --tcp HOST:PORT   also serve on this TCP address (plaintext unless --tls-cert; a warning is
                    logged for plaintext on a non-loopback address)
  --tls-cert FILE, --tls-key FILE
                    serve --tcp over TLS with this PEM certificate (chain) and key
  --tls-client-ca FILE
                    require TCP clients to present a certificate signed by a CA in this PEM file
  --socket-group NAME|GID
                    group of the unix socket (default: the daemon's group)
  --socket-mode OCTAL
                    mode of the unix socket (default: 0660; modes letting others write are refused)
  --max-message-size BYTES
                    largest gRPC message received or sent (default: 16777216, at least 4194304)
  --max-concurrent-streams N
                    concurrent calls per client connection (default: no limit)
  --registry-config-dir DIR
                    registry hosts configuration, containerd's certs.d layout: DIR/<host>/hosts.toml
                    (default: /etc/imaged/certs.d as root, else ROOT/certs.d)
  --max-concurrent-downloads N
                    layer downloads running at once across all pulls (default: 3)
  --sandbox-image REF
                    the pause image, pulled as pinned (default: registry.k8s.io/pause:3.10)
  --pinned-image REF
                    pull REF as pinned too (repeatable)
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
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-client-ca': { type: 'string' },
        'socket-group': { type: 'string' },
        'socket-mode': { type: 'string' },
        'max-message-size': { type: 'string' },
        'max-concurrent-streams': { type: 'string' },
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
  const socketMode = values['socket-mode'];
  if (socketMode !== undefined && !/^0?[0-7]{3}$/.test(socketMode)) {
    throw invalidArgument(`--socket-mode ${JSON.stringify(socketMode)}: expected octal permission bits such as 0660`);
  }
  const maxStreams = values['max-concurrent-streams'];
  return {
    root,
    socket: values.address ?? defaultSocket(root),
    tcp,
    registryConfigDir: values['registry-config-dir'] ?? (isRoot() ? '/etc/imaged/certs.d' : join(root, 'certs.d')),
    maxConcurrentDownloads: Number(downloads),
    pinnedImages: [values['sandbox-image'] ?? DEFAULT_SANDBOX_IMAGE, ...(values['pinned-image'] ?? [])].map(checkedReference),
    tls: tlsFiles(values['tls-cert'], values['tls-key'], values['tls-client-ca']),
    socketGroup: values['socket-group'],
    socketMode: socketMode === undefined ? DEFAULT_SOCKET_MODE : parseInt(socketMode, 8),
    maxMessageSize: wholeNumber('--max-message-size', values['max-message-size'] ?? String(MAX_MESSAGE_SIZE), MIN_MESSAGE_SIZE, 0x7fffffff),
    maxConcurrentStreams: maxStreams === undefined ? undefined : wholeNumber('--max-concurrent-streams', maxStreams, 1, 0x7fffffff),
    help: values.help,
    version: values.version,
  };
}
