/** Turns the parsed configuration into what `startDaemon` takes. */
import type { ImagedConfig } from '../config/index.js';
import { invalidArgument } from '../errdefs/index.js';
import type { DaemonConfig } from '../server/daemon.js';
import type { TlsFiles } from '../server/tls-credentials.js';

/** The TLS files of the TCP listener: certificate and key go together, a client CA needs both. */
function tlsFiles(config: ImagedConfig): TlsFiles | undefined {
  const { tlsCert: cert, tlsKey: key, tlsClientCa: clientCa } = config;
  if (cert === undefined && key === undefined) {
    if (clientCa !== undefined) throw invalidArgument('grpc.tls_client_ca (--tls-client-ca) needs grpc.tls_cert and grpc.tls_key (--tls-cert, --tls-key)');
    return undefined;
  }
  if (cert === undefined || key === undefined) {
    throw invalidArgument('grpc.tls_cert and grpc.tls_key (--tls-cert, --tls-key) go together: give both or neither');
  }
  return { cert, key, ...(clientCa === undefined ? {} : { clientCa }) };
}

/** The daemon settings of `config` (everything but the build info and the logger). */
export function daemonConfigOf(config: ImagedConfig): Omit<DaemonConfig, 'build' | 'logger'> {
  const tls = tlsFiles(config);
  return {
    root: config.root,
    socket: config.address,
    socketMode: config.socketMode,
    ...(config.socketGroup === undefined ? {} : { socketGroup: config.socketGroup }),
    ...(config.tcpAddress === undefined ? {} : { tcp: config.tcpAddress }),
    ...(tls === undefined ? {} : { tls }),
    maxMessageSize: config.maxMessageSize,
    ...(config.maxConcurrentStreams === 0 ? {} : { maxConcurrentStreams: config.maxConcurrentStreams }),
    ...(config.metricsAddress === undefined ? {} : { metricsAddress: config.metricsAddress }),
    criNamespace: config.criNamespace,
    registryConfigDir: config.registryConfigDir,
    maxConcurrentDownloads: config.maxConcurrentDownloads,
    pinnedImages: [config.sandboxImage, ...config.pinnedImages],
    pullProgressTimeoutMs: config.pullProgressTimeout,
    gcSchedule: {
      mutationThreshold: config.gcDeletionThreshold,
      delayMs: config.gcScheduleDelay,
      startupDelayMs: config.gcStartupDelay,
      intervalMs: config.gcInterval,
    },
  };
}
