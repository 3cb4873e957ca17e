/** The imaged process itself: socket mode, root lock, flags, graceful stop. */
import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServiceClient } from '../../src/client/index.js';
import { Version } from '../../gen/services/version/v1/version_pb.js';
import { startImaged, tcpPortOf } from '../support/daemon.js';
import { tempDir } from '../support/temp-dir.js';

const ENTRY = join(process.cwd(), 'dist', 'imaged.mjs');
const run = (...args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [ENTRY, ...args], { timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
    );
  });

test('socket is mode 0660; a second daemon on the same root is refused; SIGTERM exits 0', async () => {
  const daemon = await startImaged();
  expect(statSync(daemon.socket).mode & 0o777).toBe(0o660);
  const second = await run('--root', daemon.root, '--address', join(daemon.root, 'other.sock'));
  expect(second.code).toBe(2);
  expect(second.stderr).toMatch(/root .* is in use by imaged pid \d+/);
  const sameSocket = await run('--root', `${daemon.root}-b`, '--address', daemon.socket);
  expect(sameSocket.code).toBe(2);
  expect(sameSocket.stderr).toMatch(/in use by another server/);
  expect(await daemon.stop()).toBe(0);
});

test('--help, --version and bad flags', async () => {
  expect((await run('--help')).stdout).toMatch(/Usage: imaged/);
  expect((await run('--version')).stdout).toMatch(/^imaged \d+\.\d+\.\d+/);
  const bad = await run('--bogus');
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/Unknown option '--bogus'/);
  const tcp = await run('--tcp', 'nonsense');
  expect(tcp.code).toBe(2);
  expect(tcp.stderr).toMatch(/expected HOST:PORT/);
});

test('--tcp serves the same API on 127.0.0.1', async () => {
  const daemon = await startImaged({ args: ['--tcp', '127.0.0.1:0'] });
  const port = await tcpPortOf(daemon);
  expect(daemon.stderr()).not.toContain('plaintext');
  const version = createServiceClient(Version, `127.0.0.1:${port}`);
  try {
    expect((await version.version({})).version).toMatch(/^\d+\.\d+\.\d+/);
  } finally {
    version.close();
    await daemon.stop();
  }
});

test('config file: `config default` is a valid file, settings apply, flags win, bad keys stop the start', async () => {
  const defaults = await run('config', 'default');
  expect(defaults.code).toBe(0);
  expect(defaults.stdout).toMatch(/^version = 1$/m);
  expect(defaults.stdout).toMatch(/^\[cri\]\n# .*\nnamespace = "k8s\.io"$/m);
  const dir = tempDir();
  const file = join(dir, 'config.toml');
  // The default file, edited: a different socket mode and TCP listener.
  writeFileSync(file, defaults.stdout.replace(/^socket_mode = .*$/m, 'socket_mode = "0600"').replace(/^tcp_address = .*$/m, 'tcp_address = "127.0.0.1:0"'));
  const dumped = await run('config', 'dump', '--config', file, '--max-concurrent-downloads', '9');
  expect(dumped.stdout).toMatch(/^socket_mode = "0600"$/m);
  expect(dumped.stdout).toMatch(/^max_concurrent_downloads = 9$/m);
  const daemon = await startImaged({ args: ['--config', file] });
  try {
    expect(statSync(daemon.socket).mode & 0o777).toBe(0o600);
    expect(await tcpPortOf(daemon)).toBeGreaterThan(0);
    expect(daemon.stderr()).toContain(`"file":"${file}"`);
  } finally {
    expect(await daemon.stop()).toBe(0);
  }
  writeFileSync(file, '[grpc]\nadress = "/tmp/x.sock"\n');
  const typo = await run('--config', file, '--root', join(dir, 'root'));
  expect(typo.code).toBe(2);
  expect(typo.stderr).toContain(`config file ${file}: unknown key grpc.adress (known in [grpc]: address,`);
  writeFileSync(file, '[gc]\ninterval = 10\n');
  const bad = await run('--config', file, '--root', join(dir, 'root'));
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('gc.interval: expected a duration such as "30s", "5m" or "1h", got 10');
});

test('SIGTERM while the daemon is still starting (its socket just appeared) stops it cleanly (exit 0)', async () => {
  for (let i = 0; i < 3; i++) {
    const dir = tempDir();
    const socket = join(dir, 'imaged.sock');
    const child = spawn(process.execPath, [ENTRY, '--root', join(dir, 'root'), '--address', socket], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    while (!existsSync(socket) && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
});
