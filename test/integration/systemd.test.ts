/** Running under systemd: the unit files are valid, and socket activation serves on the inherited socket. */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServiceClient } from '../../src/client/index.js';
import { Version } from '../../gen/services/version/v1/version_pb.js';
import { Health } from '../../gen/grpc/health/v1/health_pb.js';
import { tempDir } from '../support/temp-dir.js';

const UNITS = join(process.cwd(), 'contrib', 'systemd');

const run = (file: string, args: readonly string[]) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    execFile(file, args, { timeout: 30_000 }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, output: stdout + stderr }));
  });

test('systemd-analyze verify accepts imaged.service and imaged.socket', async () => {
  const dir = tempDir();
  // verify insists that ExecStart exists: point it at this checkout's node.
  const service = readFileSync(join(UNITS, 'imaged.service'), 'utf8');
  expect(service).toMatch(/^ExecStart=\/usr\/local\/bin\/imaged$/m);
  writeFileSync(join(dir, 'imaged.service'), service.replace(/^ExecStart=.*$/m, `ExecStart=${process.execPath} ${join(process.cwd(), 'dist', 'imaged.mjs')}`));
  writeFileSync(join(dir, 'imaged.socket'), readFileSync(join(UNITS, 'imaged.socket'), 'utf8'));
  const result = await run('systemd-analyze', ['verify', join(dir, 'imaged.socket'), join(dir, 'imaged.service')]);
  expect(result).toEqual({ code: 0, output: '' });
});

test('socket activation: serves on the descriptor systemd passes, not on --address; SIGTERM exits 0', async () => {
  const dir = tempDir();
  const activated = join(dir, 'activated.sock');
  const configured = join(dir, 'configured.sock');
  const child = spawn(
    'systemd-socket-activate',
    ['-l', activated, process.execPath, join(process.cwd(), 'dist', 'imaged.mjs'), '--root', join(dir, 'root'), '--address', configured],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    for (let i = 0; i < 500 && !existsSync(activated); i++) await new Promise((r) => setTimeout(r, 10));
    // The first call connects before the daemon is ready; it waits in the backlog and succeeds.
    const version = createServiceClient(Version, `unix:${activated}`);
    const health = createServiceClient(Health, `unix:${activated}`);
    try {
      expect((await version.version({})).version).toMatch(/^\d+\.\d+\.\d+/);
      for (let i = 0; i < 500 && (await health.check({})).status !== 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect((await health.check({})).status).toBe(1);
    } finally {
      version.close();
      health.close();
    }
    expect(stderr).toMatch(/"socket":"systemd descriptors 3"/);
    expect(existsSync(configured)).toBe(false);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});
