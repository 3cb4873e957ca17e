/** Typed clients of every imaged service on one socket, plus namespace metadata helpers. */
import { status } from '@grpc/grpc-js';
import { createServiceClient } from '../../src/client/index.js';
import { Content } from '../../gen/services/content/v1/content_pb.js';
import { Events } from '../../gen/services/events/v1/events_pb.js';
import { Images } from '../../gen/services/images/v1/images_pb.js';
import { Leases } from '../../gen/services/leases/v1/leases_pb.js';
import { Namespaces } from '../../gen/services/namespaces/v1/namespace_pb.js';
import { Version } from '../../gen/services/version/v1/version_pb.js';

/** Clients for each service. */
export function clientsFor(socket: string) {
  const clients = {
    images: createServiceClient(Images, socket),
    content: createServiceClient(Content, socket),
    namespaces: createServiceClient(Namespaces, socket),
    leases: createServiceClient(Leases, socket),
    events: createServiceClient(Events, socket),
    version: createServiceClient(Version, socket),
  };
  return { ...clients, close: () => Object.values(clients).forEach((c) => c.close()) };
}

/** Call options that put a call in `namespace`. */
export const inNamespace = (namespace: string) => ({ metadata: { 'containerd-namespace': namespace } });

/** Resolves with the gRPC status name of the promise's rejection, or "OK". */
export async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    const code = (err as { code?: number }).code;
    return code === undefined ? `not a gRPC error: ${String(err)}` : (status[code] ?? String(code));
  }
}

/** Resolves with the gRPC error message of the promise's rejection. */
export async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (err) {
    return (err as { details?: string }).details ?? String(err);
  }
}
