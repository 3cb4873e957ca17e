/**
 * Every daemon setting in one table: its key in the TOML file, its command-line flag, its kind of
 * value, its default and its documentation. Flags, the file, `imaged config default` and the
 * parsed configuration are all derived from this table, so a setting exists everywhere or nowhere.
 */
import { join } from 'node:path';
import { DEFAULT_CRI_NAMESPACE, defaultRoot, defaultSocket, isRoot } from './default-paths.js';
import { LOG_FORMATS, LOG_LEVELS } from '../log/index.js';
import { DEFAULT_PULL_PROGRESS_TIMEOUT_MS } from '../pull/index.js';
import { tryParseDockerRef } from '../reference/index.js';
import { MAX_MESSAGE_SIZE } from '../server/daemon.js';
import { DEFAULT_SOCKET_MODE } from '../server/socket-permissions.js';
import { DEFAULT_GC_SCHEDULE } from '../storage/index.js';
import { duration, fileMode, integer, list, oneOf, optionalText, text, type ValueType } from './value-types.js';

/** One configurable setting. */
export interface Setting<T> {
  /** Dotted key in the TOML file, e.g. `grpc.address`. */
  readonly key: string;
  /** Long command-line flag without the dashes, e.g. `address`. */
  readonly flag: string;
  /** One-letter flag alias. */
  readonly short?: string;
  /** Kind of value. */
  readonly type: ValueType<T>;
  /** The default, which may depend on the data directory. */
  readonly fallback: (root: string) => T;
  /** One-line description for `--help` and the default file. */
  readonly doc: string;
}

const setting = <T>(s: Setting<T>): Setting<T> => s;

const HOST_PORT = /^[^\s:[\]]+:\d{1,5}$|^\[[0-9a-fA-F:.]+\]:\d{1,5}$/;
const isHostPort = (value: string): boolean => HOST_PORT.test(value);
const isNamespace = (value: string): boolean => /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/.test(value) && value.length <= 76;
const isImageReference = (value: string): boolean => tryParseDockerRef(value) !== undefined;
/** A pinned-image entry: a reference, or a pattern whose `*` wildcards stand for reference characters. */
const isPinnedPattern = (value: string): boolean => isImageReference(value.replaceAll('*', 'x'));

/** Smallest message size limit: gRPC's default, well above the 1 MiB chunks Content.Read sends. */
const MIN_MESSAGE_SIZE = 4 << 20;

/** Default configuration file. */
export const DEFAULT_CONFIG_FILE = '/etc/imaged/config.toml';

/** The pause image CRI pins by default, as containerd 2.x configures it. */
export const DEFAULT_SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

/** All settings, in the order the default file lists them. */
export const SETTINGS = {
  root: setting({
    key: 'root',
    flag: 'root',
    type: text('a directory path', (v) => v !== ''),
    fallback: defaultRoot,
    doc: 'data directory: metadata database, content store and ingests',
  }),
  address: setting({
    key: 'grpc.address',
    flag: 'address',
    short: 'a',
    type: text('a unix socket path', (v) => v !== ''),
    fallback: defaultSocket,
    doc: 'unix socket serving every API',
  }),
  socketGroup: setting({
    key: 'grpc.socket_group',
    flag: 'socket-group',
    type: optionalText('a group name or numeric GID', (v) => /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(v)),
    fallback: () => undefined,
    doc: 'group owning the unix socket (default: the daemon user\'s group)',
  }),
  socketMode: setting({
    key: 'grpc.socket_mode',
    flag: 'socket-mode',
    type: fileMode,
    fallback: () => DEFAULT_SOCKET_MODE,
    doc: 'permissions of the unix socket; modes letting others write are refused',
  }),
  tcpAddress: setting({
    key: 'grpc.tcp_address',
    flag: 'tcp',
    type: optionalText('HOST:PORT, e.g. 127.0.0.1:7070', isHostPort),
    fallback: () => undefined,
    doc: 'extra TCP listener; plaintext unless tls_cert and tls_key are set',
  }),
  tlsCert: setting({
    key: 'grpc.tls_cert',
    flag: 'tls-cert',
    type: optionalText('a PEM certificate file'),
    fallback: () => undefined,
    doc: 'server certificate (PEM) for the TCP listener',
  }),
  tlsKey: setting({
    key: 'grpc.tls_key',
    flag: 'tls-key',
    type: optionalText('a PEM private key file'),
    fallback: () => undefined,
    doc: 'private key (PEM) of tls_cert',
  }),
  tlsClientCa: setting({
    key: 'grpc.tls_client_ca',
    flag: 'tls-client-ca',
    type: optionalText('a PEM CA bundle file'),
    fallback: () => undefined,
    doc: 'require TCP clients to present a certificate signed by this CA (mutual TLS)',
  }),
  maxMessageSize: setting({
    key: 'grpc.max_message_size',
    flag: 'max-message-size',
    type: integer(MIN_MESSAGE_SIZE, 2 ** 31 - 1),
    fallback: () => MAX_MESSAGE_SIZE,
    doc: 'largest gRPC message received or sent, in bytes (Content.Read sends 1 MiB chunks)',
  }),
  maxConcurrentStreams: setting({
    key: 'grpc.max_concurrent_streams',
    flag: 'max-concurrent-streams',
    type: integer(0, 2 ** 31 - 1),
    fallback: () => 0,
    doc: 'concurrent calls per client connection; 0 for no limit, as containerd',
  }),
  criNamespace: setting({
    key: 'cri.namespace',
    flag: 'cri-namespace',
    type: text('a namespace name', isNamespace),
    fallback: () => DEFAULT_CRI_NAMESPACE,
    doc: 'namespace holding CRI images',
  }),
  sandboxImage: setting({
    key: 'cri.sandbox_image',
    flag: 'sandbox-image',
    type: text('an image reference', isImageReference),
    fallback: () => DEFAULT_SANDBOX_IMAGE,
    doc: 'the pause image; pulled as pinned',
  }),
  pinnedImages: setting({
    key: 'cri.pinned_images',
    flag: 'pinned-image',
    type: list('image references or patterns ("registry.k8s.io/*")', isPinnedPattern),
    fallback: () => [],
    doc: 'more images pulled as pinned: references in any spelling, or patterns where * matches any characters but "/" in the normalized reference',
  }),
  registryConfigDir: setting({
    key: 'cri.registry.config_path',
    flag: 'registry-config-dir',
    type: text('a directory path', (v) => v !== ''),
    fallback: (root) => (isRoot() ? '/etc/imaged/certs.d' : join(root, 'certs.d')),
    doc: 'registry hosts configuration in containerd\'s layout: DIR/<host>/hosts.toml',
  }),
  maxConcurrentDownloads: setting({
    key: 'cri.max_concurrent_downloads',
    flag: 'max-concurrent-downloads',
    type: integer(1, 999),
    fallback: () => 3,
    doc: 'blob downloads running at once across all pulls',
  }),
  pullProgressTimeout: setting({
    key: 'cri.image_pull_progress_timeout',
    flag: 'pull-progress-timeout',
    type: duration(),
    fallback: () => DEFAULT_PULL_PROGRESS_TIMEOUT_MS,
    doc: 'cancel a pull when no blob received a byte for this long ("0s": never)',
  }),
  gcDeletionThreshold: setting({
    key: 'gc.deletion_threshold',
    flag: 'gc-deletion-threshold',
    type: integer(1, 1_000_000),
    fallback: () => DEFAULT_GC_SCHEDULE.mutationThreshold,
    doc: 'collect garbage after this many deletions',
  }),
  gcScheduleDelay: setting({
    key: 'gc.schedule_delay',
    flag: 'gc-schedule-delay',
    type: duration(),
    fallback: () => DEFAULT_GC_SCHEDULE.delayMs,
    doc: 'wait this long after the threshold is reached before collecting',
  }),
  gcStartupDelay: setting({
    key: 'gc.startup_delay',
    flag: 'gc-startup-delay',
    type: duration(),
    fallback: () => DEFAULT_GC_SCHEDULE.startupDelayMs,
    doc: 'first collection after start',
  }),
  gcInterval: setting({
    key: 'gc.interval',
    flag: 'gc-interval',
    type: duration(),
    fallback: () => DEFAULT_GC_SCHEDULE.intervalMs,
    doc: 'collect this often when anything was deleted since the last collection',
  }),
  metricsAddress: setting({
    key: 'metrics.address',
    flag: 'metrics-address',
    type: optionalText('HOST:PORT, e.g. 127.0.0.1:9101', isHostPort),
    fallback: () => undefined,
    doc: 'serve Prometheus metrics at http://HOST:PORT/metrics',
  }),
  logLevel: setting({
    key: 'log.level',
    flag: 'log-level',
    type: oneOf(...LOG_LEVELS),
    fallback: () => 'info' as const,
    doc: 'least severe log lines written',
  }),
  logFormat: setting({
    key: 'log.format',
    flag: 'log-format',
    type: oneOf(...LOG_FORMATS),
    fallback: () => 'auto' as const,
    doc: 'log lines as JSON, as text, or text on a terminal and JSON otherwise',
  }),
};

/** Names of the settings. */
export type SettingName = keyof typeof SETTINGS;

/** The value type of a setting. */
type ValueOf<S> = S extends Setting<infer T> ? T : never;

/** A complete configuration: every setting with its value. */
export type ImagedConfig = { readonly [K in SettingName]: ValueOf<(typeof SETTINGS)[K]> };
