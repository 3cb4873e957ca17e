/** What every imagectl command works with: the daemon's address, the namespace, clients, stdout. */
import type { GenService, GenServiceMethods } from '@bufbuild/protobuf/codegenv2';
import { createServiceClient, type CallOptions, type ServiceClient } from '../client/index.js';
import { DEFAULT_CRI_NAMESPACE } from '../config/default-paths.js';

/** The namespace CRI keeps its images in (CRI-backed commands use it unless `-n` is given). */
export const CRI_NAMESPACE = DEFAULT_CRI_NAMESPACE;

/** The namespace of containerd-API commands without `-n`. */
const DEFAULT_NAMESPACE = 'default';

/** Where output goes: a stream and whether it is a terminal. */
export interface Output {
  /** Writes text or bytes. */
  write(chunk: string | Uint8Array): boolean;
  /** Whether the stream is a terminal (live progress is drawn only then). */
  readonly isTTY?: boolean;
  /** Terminal width, when it is one. */
  readonly columns?: number;
  /** Calls `listener` once the stream can take more after `write` returned false. */
  once?(event: 'drain', listener: () => void): unknown;
}

/** One invocation's connection to the daemon. */
export interface Session {
  /** The daemon's socket (or host:port). */
  readonly address: string;
  /** `-n` as given, or undefined. */
  readonly namespaceOption: string | undefined;
  /** The namespace of containerd-API commands (`-n` or `default`). */
  readonly namespace: string;
  /** Standard output. */
  readonly stdout: Output;
  /** Standard error (per-target failures of multi-target commands). */
  readonly stderr: Output;
  /** The client of `service` (one per service, created on first use). */
  client<M extends GenServiceMethods>(service: GenService<M>): ServiceClient<M>;
  /** Call options that put a call in `namespace` (default: {@link Session.namespace}). */
  inNamespace(namespace?: string): CallOptions;
  /** Closes every client. */
  close(): void;
}

/** Opens a session on `address`; no connection is made until a client is used. */
export function openSession(address: string, namespaceOption: string | undefined, stdout: Output, stderr: Output): Session {
  const clients = new Map<object, { close(): void }>();
  const namespace = namespaceOption ?? DEFAULT_NAMESPACE;
  return {
    address,
    namespaceOption,
    namespace,
    stdout,
    stderr,
    client<M extends GenServiceMethods>(service: GenService<M>): ServiceClient<M> {
      let client = clients.get(service) as ServiceClient<M> | undefined;
      if (client === undefined) {
        client = createServiceClient(service, address);
        clients.set(service, client);
      }
      return client;
    },
    inNamespace: (ns = namespace) => ({ metadata: { 'containerd-namespace': ns } }),
    close: () => clients.forEach((c) => c.close()),
  };
}
