/**
 * The composition root: opens the stores under one root, serves every service on a unix socket
 * (and optionally TCP), and shuts down gracefully.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { createEventBus } from '../events/index.js';
import { openStorage } from '../storage/index.js';
import { Content } from '../../gen/services/content/v1/content_pb.js';
import { Events } from '../../gen/services/events/v1/events_pb.js';
import { Images } from '../../gen/services/images/v1/images_pb.js';
import { Leases } from '../../gen/services/leases/v1/leases_pb.js';
import { Namespaces } from '../../gen/services/namespaces/v1/namespace_pb.js';
import { Version } from '../../gen/services/version/v1/version_pb.js';
import { Health } from '../../gen/grpc/health/v1/health_pb.js';
import { Introspection } from '../../gen/services/introspection/v1/introspection_pb.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { createCriImageService } from './cri-image-service.js';
import { startCriRuntime } from '../cri/cri-runtime.js';
import { file_events_content } from '../../gen/events/content_pb.js';
import { file_events_image } from '../../gen/events/image_pb.js';
import { file_events_namespace } from '../../gen/events/namespace_pb.js';
import { adaptService, type AdaptedService } from './adapter.js';
import { createContentService } from './content-service.js';
import { createEventsService } from './events-service.js';
import { createImagesService } from './images-service.js';
import { createIntrospectionService, serverUuid, type PluginInfo } from './introspection-service.js';
import { createLeasesService } from './leases-service.js';
import type { Logger } from './logger.js';
import { createNamespacesService } from './namespaces-service.js';
import { createHealthService, ServingStatus } from './health-service.js';
import { createReflectionServices } from './reflection.js';
import { lockRoot } from './root-lock.js';
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

/** The namespace CRI images live in, as in containerd. */
export const CRI_NAMESPACE = 'k8s.io';

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
  /** References pulled as pinned (default none). */
  readonly pinnedImages?: readonly string[];
}

/** A running daemon. */
export interface Daemon {
  /** The bound TCP port, when a TCP listener was asked for. */
  readonly tcpPort: number | undefined;
  /** Stops accepting calls, lets in-flight ones finish (up to `graceMs`), closes the store. */
  stop(graceMs?: number): Promise<void>;
}

const bind = (server: Server, address: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });

/** Starts a daemon with `config`. */
export async function startDaemon(config: DaemonConfig): Promise<Daemon> {
  const { logger } = config;
  mkdirSync(config.root, { recursive: true, mode: 0o711 });
  const unlock = lockRoot(config.root);
  const bus = createEventBus();
  const storage = await openStorage(config.root, bus, (result) =>
    result instanceof Error
      ? logger.log('error', 'garbage collection failed', { err: result })
      : logger.log('info', 'garbage collected', { ...result }),
  );
  const { metadata } = storage;
  const shutdown = new AbortController();
  const collectGarbage = async (): Promise<void> => {
    logger.log('info', 'garbage collected', { ...(await storage.gc.collectNow()) });
  };
  const onUnexpected = (method: string, err: unknown) => logger.log('error', 'unexpected error', { method, err });

  const criNamespace = config.criNamespace ?? CRI_NAMESPACE;
  const cri = startCriRuntime(storage, bus, {
    namespace: criNamespace,
    ...(config.registryConfigDir === undefined ? {} : { registryConfigDir: config.registryConfigDir }),
    maxConcurrentDownloads: config.maxConcurrentDownloads ?? 3,
    pinnedImages: config.pinnedImages ?? [],
    log: (level, msg, fields) => logger.log(level, msg, fields),
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
    adaptService(Images, createImagesService(metadata.images, collectGarbage), onUnexpected),
    adaptService(Content, createContentService(metadata.content), onUnexpected),
    adaptService(Namespaces, createNamespacesService(metadata.namespaces), onUnexpected),
    adaptService(Leases, createLeasesService(metadata.leases, collectGarbage), onUnexpected),
    adaptService(Events, createEventsService(bus, shutdown.signal), onUnexpected),
    adaptService(Version, createVersionService(config.build), onUnexpected),
    adaptService(Health, health.service, onUnexpected),
    adaptService(
      ImageService,
      createCriImageService({
        namespace: criNamespace,
        cache: cri.cache,
        ready: cri.sync.ready,
        settled: () => cri.sync.settled(),
        images: metadata.images,
        collect: collectGarbage,
        usage: () => cri.usage(),
        pull: (image, auth, signal) => cri.pull(image, auth, signal),
      }),
      onUnexpected,
    ),
    adaptService(Introspection, createIntrospectionService(serverUuid(config.root), PLUGINS(config.root)), onUnexpected),
  ];
  const eventFiles = [file_events_image, file_events_content, file_events_namespace];
  services.push(...createReflectionServices(SERVED_SERVICES, eventFiles, onUnexpected));
  const server = new Server({
    'grpc.max_receive_message_length': MAX_MESSAGE_SIZE,
    'grpc.max_send_message_length': MAX_MESSAGE_SIZE,
    // Channelz bookkeeping costs time on every call and nothing here reads it.
    'grpc.enable_channelz': 0,
  });
  for (const s of services) server.addService(s.definition, s.implementation);

  try {
    await prepareSocketPath(config.socket);
    await bind(server, `unix:${config.socket}`);
    chmodSync(config.socket, 0o660);
    const tcpPort = config.tcp === undefined ? undefined : await bind(server, config.tcp);
    logger.log('info', 'imaged serving', {
      socket: config.socket,
      tcpPort,
      root: config.root,
      ...config.build,
      startupMs: Math.round(performance.now()),
    });
    return {
      tcpPort,
      async stop(graceMs = 10_000) {
        shutdown.abort();
        cri.close();
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
        await storage.close();
        unlock();
        logger.log('info', 'imaged stopped');
      },
    };
  } catch (err) {
    server.forceShutdown();
    await storage.close();
    unlock();
    throw err;
  }
}
