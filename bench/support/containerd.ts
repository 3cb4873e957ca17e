/** Starts Debian's containerd with a private config (root, state and socket in a temp dir). */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running private containerd. */
export interface PrivateContainerd {
  /** Its gRPC socket. */
  readonly socket: string;
  /** Its directory (root, state, config). */
  readonly dir: string;
  /** Stops it (SIGTERM, then waits). */
  stop(): Promise<void>;
}

/** A containerd 1.6 config; `withCri` keeps the CRI plugin (needs `certs.d` for registry settings). */
export function containerdConfig(dir: string, withCri: boolean): string {
  return `version = 2
${withCri ? '' : 'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n'}root = "${dir}/root"
state = "${dir}/state"

[grpc]
  address = "${dir}/containerd.sock"

[ttrpc]
  address = "${dir}/containerd.sock.ttrpc"

[debug]
  address = "${dir}/containerd-debug.sock"
  level = "warn"

[metrics]
  address = ""

[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "${dir}/opt"
`;
}

const waitForSocket = async (child: ChildProcess, socket: string, log: () => string): Promise<void> => {
  const deadline = Date.now() + 30_000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null) throw new Error(`containerd exited with ${child.exitCode}: ${log()}`);
    if (Date.now() > deadline) throw new Error(`containerd did not create ${socket} within 30 s: ${log()}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

/** Starts containerd on `dir` (a new temp dir by default); it must run as root. */
export async function startContainerd(options: { dir?: string; withCri?: boolean } = {}): Promise<PrivateContainerd> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark starts containerd, which needs root');
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'imaged-bench-containerd-'));
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'config.toml');
  writeFileSync(config, containerdConfig(dir, options.withCri ?? false));
  const socket = join(dir, 'containerd.sock');
  const child = spawn('containerd', ['--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  await waitForSocket(child, socket, () => log);
  return {
    socket,
    dir,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
