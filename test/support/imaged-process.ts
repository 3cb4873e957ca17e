/** Starts the real, compiled `imaged` binary as a child process (used by tests and benchmarks). */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { socketAnswers } from '../../src/server/unix-socket.js';

const ENTRY = join(process.cwd(), 'dist', 'imaged.mjs');

/** A daemon process. */
export interface ImagedProcess {
  /** Its data directory. */
  readonly root: string;
  /** Its unix socket path. */
  readonly socket: string;
  /** The extra arguments it was started with (to restart it the same way). */
  readonly args: readonly string[];
  /** The child process. */
  readonly child: ChildProcess;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/** Daemons started in this process and not yet exited. */
const running = new Set<ChildProcess>();
// A failed test may leave its daemon running: it must neither keep jest alive nor outlive it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

/** Starts imaged on `root` (a new temp dir by default) and waits until its socket answers. */
export async function startImagedProcess(
  options: { root?: string; args?: readonly string[] } = {},
): Promise<ImagedProcess> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run "npm run build" first (npm test does)`);
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'imaged-'));
  const socket = join(root, 'imaged.sock');
  const child = spawn(process.execPath, [ENTRY, '--root', root, '--address', socket, ...(options.args ?? [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.unref();
  (child.stderr as Socket | null)?.unref();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const deadline = Date.now() + 15_000;
  // Ready once the daemon logged that it serves (the socket has its final mode then) and answers.
  while (!(stderr.includes('imaged serving') && existsSync(socket) && (await socketAnswers(socket)))) {
    if (child.exitCode !== null) throw new Error(`imaged exited with ${child.exitCode}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`imaged did not listen on ${socket} within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return {
    root,
    socket,
    args: options.args ?? [],
    child,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      return exited(child);
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
  };
}
