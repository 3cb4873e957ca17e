/** Runs the built `dist/imagectl.mjs` as a child process. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const ENTRY = join(process.cwd(), 'dist', 'imagectl.mjs');

/** The outcome of one imagectl run. */
export interface ImagectlResult {
  /** Exit code. */
  readonly code: number;
  /** Standard output (as a Buffer too, for raw content). */
  readonly stdout: string;
  /** Raw standard output. */
  readonly bytes: Buffer;
  /** Standard error. */
  readonly stderr: string;
}

/** Runs `imagectl ...args` with `env` added to the environment; never throws for a non-zero exit. */
export function imagectl(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<ImagectlResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [ENTRY, ...args],
      { encoding: 'buffer', timeout: 60_000, maxBuffer: 64 << 20, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        if (err !== null && typeof err.code !== 'number') return reject(err);
        resolve({ code: err === null ? 0 : Number(err.code), stdout: stdout.toString(), bytes: stdout, stderr: stderr.toString() });
      },
    );
  });
}

/** Starts `imagectl ...args` that keeps running (e.g. `events`); output collects in `out()`. */
export function spawnImagectl(args: readonly string[]): { child: ChildProcess; out(): string; err(): string } {
  const child = spawn(process.execPath, [ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  return { child, out: () => out, err: () => err };
}
