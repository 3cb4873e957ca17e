/** Preparing a unix socket path: parent directory, stale file removal, refusal to steal a live socket. */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { failedPrecondition } from '../errdefs/index.js';

/** Resolves true when something accepts a connection on the unix socket `path`. */
export const socketAnswers = (path: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Creates the socket's directory and removes a stale socket file; fails if a server answers there. */
export async function prepareSocketPath(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o711 });
  let isSocket = false;
  try {
    isSocket = statSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw failedPrecondition(`${path} exists and is not a socket; refusing to replace it`);
  if (await socketAnswers(path)) throw failedPrecondition(`${path} is in use by another server`);
  rmSync(path, { force: true });
}
