/**
 * systemd socket activation: when started by an `imaged.socket` unit, the listening sockets arrive
 * as file descriptors 3, 4, … (`LISTEN_FDS`, meant for us when `LISTEN_PID` is our pid). Their
 * connections are handed to the gRPC server, so clients that connect while the daemon is still
 * starting simply wait in the socket's backlog.
 */
import { createServer, type Server as NetServer } from 'node:net';
import { ServerCredentials, type Server } from '@grpc/grpc-js';
import { invalidArgument } from '../errdefs/index.js';

/** The first file descriptor systemd passes. */
const FIRST_FD = 3;

/** Listening descriptors passed by systemd for this process, or none. */
export function activationFds(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number[] {
  if (env.LISTEN_PID !== String(pid) || env.LISTEN_FDS === undefined) return [];
  const count = Number(env.LISTEN_FDS);
  if (!Number.isInteger(count) || count < 0 || count > 64) throw invalidArgument(`LISTEN_FDS=${JSON.stringify(env.LISTEN_FDS)}: expected a count of descriptors`);
  return Array.from({ length: count }, (_, i) => FIRST_FD + i);
}

/** Serves `server` on the inherited listening descriptors `fds`; resolves with a function that stops listening. */
export async function serveActivated(server: Server, fds: readonly number[]): Promise<() => void> {
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const listeners: NetServer[] = await Promise.all(
    fds.map(
      (fd) =>
        new Promise<NetServer>((resolve, reject) => {
          const listener = createServer((socket) => injector.injectConnection(socket));
          listener.once('error', (err) => reject(invalidArgument(`socket activation: descriptor ${fd} is not a listening socket: ${err.message}`)));
          listener.listen({ fd }, () => resolve(listener));
        }),
    ),
  );
  return () => {
    for (const listener of listeners) listener.close();
  };
}
