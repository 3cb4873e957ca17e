/**
 * The composition root: opens the stores under one root, serves every service on a unix socket
 * (and optionally TCP), and shuts down gracefully.
 */
import { mkdirSync } from 'node:fs';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { invalidArgument, unavailable } from '../errdefs/index.js';
import { DEFAULT_CRI_NAMESPACE } from '../config/default-paths.js';
import { createEventBus } from '../events/index.js';
import type { GcResult, GcSchedule } from '../gc/index.js';
import type { Logger } from '../log/index.js';
import { createImagedMetrics, serveMetrics } from '../metrics/index.js';
import { contentUsage, openStorage } from '../storage/index.js';
import { Content } from '../../gen/services/content/v1/content_pb.js';
import { Events } from '../../gen/services/events/v1/events_pb.js';
import { Images } from '../../gen/services/images/v1/images_pb.js';
import { Leases } from '../../gen/services/leases/v1/leases_pb.js';
import { Namespaces } from '../../gen/services/namespaces/v1/namespace_pb.js';
import { Version } from '../../gen/services/version/v1/version_pb.js';
import { Health } from '../../gen/grpc/health/v1/health_pb.js';
import { Introspection } from '../../gen/services/introspection/v1/introspection_pb.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { createCriImageService, encodeImageList } from './cri-image-service.js';
import { startCriRuntime, type CriRuntime } from '../cri/cri-runtime.js';
import { file_events_content } from '../../gen/events/content_pb.js';
import { file_events_image } from '../../gen/events/image_pb.js';
import { file_events_namespace } from '../../gen/events/namespace_pb.js';
import { file_imaged_events_v1_pull } from '../../gen/imaged/events/v1/pull_pb.js';
import { adaptService, type AdaptedService } from './adapter.js';
import { createCallObserver } from './call-observer.js';
import { createContentService } from './content-service.js';
import { createEventsService } from './events-service.js';
import { createImagesService } from './images-service.js';
import { createIntrospectionService, serverUuid, type PluginInfo } from './introspection-service.js';
import { createLeasesService } from './leases-service.js';
import { createNamespacesService } from './namespaces-service.js';
import { createHealthService, ServingStatus } from './health-service.js';
import { createReflectionServices } from './reflection.js';
import { lockRoot } from './root-lock.js';
import { activationFds, serveActivated } from './socket-activation.js';
import { resolveGroupId } from './group-id.js';
import { applySocketPermissions, checkSocketDirectories, checkSocketMode, DEFAULT_SOCKET_MODE, withOwnerOnlyUmask } from './socket-permissions.js';
import { isLoopbackAddress } from './tcp-address.js';
import { serverTlsCredentials, type TlsFiles } from './tls-credentials.js';
import { prepareSocketPath } from './unix-socket.js';
import { createVersionService, type BuildInfo } from './version-service.js';

/** Largest message accepted or sent, as containerd sets it (16 MiB). */
export const MAX_MESSAGE_SIZE = 16 << 20;

/** The plugins imaged reports through Introspection, named as containerd names its own. */
const PLUGINS = (root: string): PluginInfo[] => [
  { type: 'io.containerd.metadata.v1', id: 'lmdb', exports: { path: `${root}/metadata` } },
  { type: 'io.containerd.content.v1', id: 'content', exports: { root: `${root}/content` } },
  { type: 'io.containerd.gc.v1', id: 'scheduler' },
  { type: 'io.containerd.event.v1', id: 'exchange' },
  ...['images', 'content', 'namespaces', 'leases', 'events', 'version', 'introspection', 'healthcheck'].map((id) => ({
    type: 'io.containerd.grpc.v1',
    id,
    requires: id === 'events' ? ['io.containerd.event.v1'] : ['io.containerd.metadata.v1'],
  })),
];

/** Every service the daemon serves (gRPC reflection serves itself on top of these). */
export const SERVED_SERVICES = [Images, Content, Namespaces, Leases, Events, Version, Health, Introspection, ImageService] as const;

/** What a daemon needs to start. */
export interface DaemonConfig {
  /** Data directory. */
  readonly root: string;
  /** Unix socket path. */
  readonly socket: string;
  /** Optional extra TCP listener, `host:port`. */
  readonly tcp?: string;
  /** Version reported by the Version service. */
  readonly build: BuildInfo;
  /** Where logs go. */
  readonly logger: Logger;
  /** Namespace of CRI images (default `k8s.io`). */
  readonly criNamespace?: string;
  /** Directory of `<host>/hosts.toml` registry configurations. */
  readonly registryConfigDir?: string;
  /** Layer downloads running at once across all pulls (default 3). */
  readonly maxConcurrentDownloads?: number;
  /** References and `*` patterns pulled as pinned (default none). */
  readonly pinnedImages?: readonly string[];
  /** Longest wait for the next byte of a blob being pulled; 0 for no limit (default 5 min). */
  readonly pullProgressTimeoutMs?: number;
  /** When garbage is collected (default {@link DEFAULT_GC_SCHEDULE}). */
  readonly gcSchedule?: Omit<GcSchedule, 'report'>;
  /** TLS (and, with `clientCa`, mutual TLS) for the TCP listener; plaintext without. */
  readonly tls?: TlsFiles;
  /** Group of the unix socket, a name or a GID (default: the daemon's group). */
  readonly socketGroup?: string;
  /** Mode of the unix socket (default 0660); modes letting others write are refused. */
  readonly socketMode?: number;
  /** Largest message received or sent, in bytes (default {@link MAX_MESSAGE_SIZE}). */
  readonly maxMessageSize?: number;
  /** Concurrent streams per client connection (default: no limit, as containerd). */
  readonly maxConcurrentStreams?: number;
  /** Serve Prometheus metrics on `host:port` at `/metrics` (port 0 picks a free port); off when absent. */
  readonly metricsAddress?: string;
}

/** A running daemon. */
export interface Daemon {
  /** The bound TCP port, when a TCP listener was asked for. */
  readonly tcpPort: number | undefined;
  /** The bound metrics `host:port`, when metrics were asked for. */
  readonly metricsAddress: string | undefined;
  /** Stops accepting calls, lets in-flight ones finish (up to `graceMs`), closes the store. */
  stop(graceMs?: number): Promise<void>;
}

const bind = (server: Server, address: string, credentials = ServerCredentials.createInsecure()): Promise<number> =>
  new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (err, port) => (err ? reject(unavailable(`cannot listen on ${address}: ${err.message}`, err)) : resolve(port)));
  });

/** Saves the CRI cache and list for the next start; a failure only costs that start some time. */
async function saveCriList(cri: CriRuntime, logger: Logger): Promise<void> {
  try {
    await cri.snapshot.save(encodeImageList);
  } catch (err) {
    logger.log('warn', 'CRI image cache not saved; the next start rebuilds it', { err });
  }
}

/** Starts a daemon with `config`. */
export async function startDaemon(config: DaemonConfig): Promise<Daemon> {
  const { logger } = config;
  // Settings are checked before anything is opened or created.
  const socketMode = config.socketMode ?? DEFAULT_SOCKET_MODE;
  checkSocketMode(socketMode);
  // Under systemd socket activation the socket unit owns path, group and mode.
  const activated = activationFds();
  if (activated.length === 0) checkSocketDirectories(config.socket);
  const socketGid = config.socketGroup === undefined || activated.length > 0 ? undefined : resolveGroupId(config.socketGroup);
  if (config.tls !== undefined && config.tcp === undefined) throw invalidArgument('TLS files were given but no TCP listener (--tcp) to use them');
  const tcpCredentials = config.tls === undefined ? undefined : serverTlsCredentials(config.tls);
  mkdirSync(config.root, { recursive: true, mode: 0o711 });
  const unlock = lockRoot(config.root);
  const bus = createEventBus();
  const metrics = config.metricsAddress === undefined ? undefined : createImagedMetrics();
  const gcLog = logger.child({ component: 'gc' });
  const onGc = (result: GcResult | Error): void => {
    metrics?.gc(result);
    if (result instanceof Error) gcLog.log('error', 'garbage collection failed', { err: result });
    else gcLog.log('info', 'garbage collected', { ...result });
  };
  const storage = await openStorage(config.root, bus, onGc, config.gcSchedule);
  const { metadata } = storage;
  const shutdown = new AbortController();
  const collectGarbage = async (): Promise<void> => onGc(await storage.gc.collectNow());
  const observe = createCallObserver(logger.child({ component: 'grpc' }), metrics);

  const criNamespace = config.criNamespace ?? DEFAULT_CRI_NAMESPACE;
  const cri = startCriRuntime(storage, bus, {
    namespace: criNamespace,
    ...(config.registryConfigDir === undefined ? {} : { registryConfigDir: config.registryConfigDir }),
    maxConcurrentDownloads: config.maxConcurrentDownloads ?? 3,
    pinnedImages: config.pinnedImages ?? [],
    ...(config.pullProgressTimeoutMs === undefined ? {} : { pullProgressTimeoutMs: config.pullProgressTimeoutMs }),
    log: logger.child({ component: 'cri' }).log,
    ...(metrics === undefined ? {} : { pullMeter: metrics.pulls }),
  });
  metrics?.collectFrom({
    content: () => contentUsage(metadata.content.table),
    criCache: () => ({ images: cri.cache.size, references: cri.cache.referenceCount }),
  });
  // Not serving until the CRI cache has loaded: probes and kubelet wait for that.
  const health = createHealthService(
    { '': ServingStatus.NOT_SERVING, 'runtime.v1.ImageService': ServingStatus.NOT_SERVING },
    shutdown.signal,
  );
  cri.sync.ready.then(
    () => {
      health.statuses.set('', ServingStatus.SERVING);
      health.statuses.set('runtime.v1.ImageService', ServingStatus.SERVING);
    },
    (err: unknown) => logger.log('error', 'CRI image cache failed to load', { err }),
  );
  const services: AdaptedService[] = [
    adaptService(Images, createImagesService(metadata.images, collectGarbage), observe),
    adaptService(Content, createContentService(metadata.content), observe),
    adaptService(Namespaces, createNamespacesService(metadata.namespaces), observe),
    adaptService(Leases, createLeasesService(metadata.leases, collectGarbage), observe),
    adaptService(Events, createEventsService(bus, shutdown.signal), observe),
    adaptService(Version, createVersionService(config.build), observe),
    adaptService(Health, health.service, observe),
    adaptService(
      ImageService,
      createCriImageService({
        namespace: criNamespace,
        cache: cri.cache,
        ready: cri.sync.ready,
        savedList: () => cri.snapshot.list(),
        settled: () => cri.sync.settled(),
        images: metadata.images,
        collect: collectGarbage,
        usage: () => cri.usage(),
        // A pull stops when its caller goes away or the daemon shuts down.
        pull: (image, auth, signal) => cri.pull(image, auth, AbortSignal.any([signal, shutdown.signal])),
      }),
      observe,
    ),
    adaptService(Introspection, createIntrospectionService(serverUuid(config.root), PLUGINS(config.root)), observe),
  ];
  const eventFiles = [file_events_image, file_events_content, file_events_namespace, file_imaged_events_v1_pull];
  services.push(...createReflectionServices(SERVED_SERVICES, eventFiles, observe));
  const server = new Server({
    'grpc.max_receive_message_length': config.maxMessageSize ?? MAX_MESSAGE_SIZE,
    'grpc.max_send_message_length': config.maxMessageSize ?? MAX_MESSAGE_SIZE,
    ...(config.maxConcurrentStreams === undefined ? {} : { 'grpc.max_concurrent_streams': config.maxConcurrentStreams }),
    // Channelz bookkeeping costs time on every call and nothing here reads it.
    'grpc.enable_channelz': 0,
  });
  for (const s of services) server.addService(s.definition, s.implementation);
  let stopListening = (): void => {};
  let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | undefined;

  try {
    if (activated.length > 0) {
      stopListening = await serveActivated(server, activated);
    } else {
      await prepareSocketPath(config.socket);
      await withOwnerOnlyUmask(() => bind(server, `unix:${config.socket}`));
      applySocketPermissions(config.socket, socketMode, socketGid);
    }
    if (config.tcp !== undefined && tcpCredentials === undefined && !isLoopbackAddress(config.tcp)) {
      logger.log('warn', 'serving plaintext gRPC on a non-loopback TCP address: anyone who can reach it can use the API; give --tls-cert and --tls-key', {
        tcp: config.tcp,
      });
    }
    const tcpPort = config.tcp === undefined ? undefined : await bind(server, config.tcp, tcpCredentials);
    metricsServer = metrics && config.metricsAddress !== undefined ? await serveMetrics(metrics.registry, config.metricsAddress) : undefined;
    // Filling the cache only now lets the socket come up first; ListImages meanwhile answers from
    // the saved list when it is current, other CRI calls are Unavailable.
    cri.sync.load();
    logger.log('info', 'imaged serving', {
      socket: activated.length > 0 ? `systemd descriptors ${activated.join(', ')}` : config.socket,
      tcpPort,
      tcpTls: config.tls === undefined ? undefined : config.tls.clientCa === undefined ? 'tls' : 'mutual',
      metricsAddress: metricsServer?.address,
      root: config.root,
      ...config.build,
      startupMs: Math.round(performance.now()),
    });
    return {
      tcpPort,
      metricsAddress: metricsServer?.address,
      async stop(graceMs = 10_000) {
        shutdown.abort();
        stopListening();
        cri.close();
        await metricsServer?.close();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, graceMs);
          server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        });
        await saveCriList(cri, logger);
        await storage.close();
        unlock();
        logger.log('info', 'imaged stopped');
      },
    };
  } catch (err) {
    stopListening();
    server.forceShutdown();
    shutdown.abort();
    cri.close();
    await metricsServer?.close();
    await storage.close();
    unlock();
    throw err;
  }
}
