/** Runs containerd's own `ctr` client against a socket. */
import { execFile } from 'node:child_process';

/** The outcome of one ctr invocation. */
export interface CtrResult {
  /** Exit code (0 on success). */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Runs `ctr --address SOCKET -n NAMESPACE ...args` and returns its result (never throws for a non-zero exit). */
export function ctr(socket: string, namespace: string, ...args: string[]): Promise<CtrResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'ctr',
      ['--address', socket, '--namespace', namespace, '--timeout', '20s', ...args],
      { timeout: 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err !== null && typeof err.code !== 'number') return reject(err);
        resolve({ code: err === null ? 0 : Number(err.code), stdout, stderr });
      },
    );
  });
}

/** Runs ctr and throws with its stderr unless it exits 0; returns stdout. */
export async function ctrOk(socket: string, namespace: string, ...args: string[]): Promise<string> {
  const r = await ctr(socket, namespace, ...args);
  if (r.code !== 0) throw new Error(`ctr ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}
