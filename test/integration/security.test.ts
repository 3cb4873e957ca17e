/**
 * The daemon's security settings end to end: TLS and mutual TLS on --tcp, the unix socket's mode and
 * group, refusals at start (world-writable socket or directory, bad TLS files), and the gRPC limits.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { connect, type Settings } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { createServiceClient } from '../../src/client/index.js';
import { Content, WriteAction } from '../../gen/services/content/v1/content_pb.js';
import { Version } from '../../gen/services/version/v1/version_pb.js';
import { codeOf, inNamespace, messageOf } from '../support/clients.js';
import { startImaged, tcpPortOf } from '../support/daemon.js';
import { tempDir } from '../support/temp-dir.js';
import { createTestPki, issueClientCert, selfSignedCert } from '../support/tls.js';

const ENTRY = join(process.cwd(), 'dist', 'imaged.mjs');
/** Runs the daemon with `args` expecting it to refuse to start; resolves with its exit code and stderr. */
const refused = (...args: string[]) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, [ENTRY, ...args], { timeout: 20_000 }, (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }));
  });

const pki = createTestPki(tempDir('imaged-pki-'));
const clientCa = selfSignedCert(pki.dir, 'client-ca', 'imaged client CA', { ca: true });
const alice = issueClientCert(pki.dir, clientCa, 'alice', 'alice');
const mallory = issueClientCert(pki.dir, pki.ca, 'mallory', 'mallory');
const caPem = readFileSync(pki.ca.certPath);

/** Calls Version on 127.0.0.1:`port` with `creds`; resolves with the gRPC status name. */
async function versionCode(port: number, creds: ChannelCredentials): Promise<string> {
  const client = createServiceClient(Version, `127.0.0.1:${port}`, {}, creds);
  try {
    return await codeOf(client.version({}, { timeoutMs: 15_000 }));
  } finally {
    client.close();
  }
}

describe('TCP listener', () => {
  test('with --tls-cert/--tls-key: clients that trust the CA connect; others and plaintext clients do not', async () => {
    const daemon = await startImaged({ args: ['--tcp', '127.0.0.1:0', '--tls-cert', pki.server.certPath, '--tls-key', pki.server.keyPath] });
    try {
      const port = await tcpPortOf(daemon);
      expect(daemon.stderr()).toContain('"tcpTls":"tls"');
      expect(await versionCode(port, credentials.createSsl(caPem))).toBe('OK');
      expect(await versionCode(port, credentials.createSsl())).toBe('UNAVAILABLE');
      expect(await versionCode(port, credentials.createSsl(readFileSync(clientCa.certPath)))).toBe('UNAVAILABLE');
      expect(await versionCode(port, credentials.createInsecure())).toBe('UNAVAILABLE');
      // The unix socket stays plaintext.
      const local = createServiceClient(Version, daemon.socket);
      expect(await codeOf(local.version({}))).toBe('OK');
      local.close();
    } finally {
      await daemon.stop();
    }
  });

  test('with --tls-client-ca: only clients with a certificate from that CA get in', async () => {
    const daemon = await startImaged({
      args: ['--tcp', '127.0.0.1:0', '--tls-cert', pki.server.certPath, '--tls-key', pki.server.keyPath, '--tls-client-ca', clientCa.certPath],
    });
    try {
      const port = await tcpPortOf(daemon);
      expect(daemon.stderr()).toContain('"tcpTls":"mutual"');
      expect(await versionCode(port, credentials.createSsl(caPem))).toBe('UNAVAILABLE');
      expect(await versionCode(port, credentials.createSsl(caPem, Buffer.from(mallory.keyPem), Buffer.from(mallory.certPem)))).toBe('UNAVAILABLE');
      expect(await versionCode(port, credentials.createSsl(caPem, Buffer.from(alice.keyPem), Buffer.from(alice.certPem)))).toBe('OK');
    } finally {
      await daemon.stop();
    }
  });

  test('bad TLS settings are refused at start, naming the file, before anything is created', async () => {
    const root = join(tempDir(), 'never-created');
    const base = ['--root', root, '--address', join(root, 'imaged.sock')];
    const missing = join(pki.dir, 'nope.pem');
    const cases: [string[], string][] = [
      [['--tcp', '127.0.0.1:0', '--tls-cert', missing, '--tls-key', pki.server.keyPath], `--tls-cert ${missing}: cannot read it`],
      [['--tcp', '127.0.0.1:0', '--tls-cert', pki.server.certPath, '--tls-key', pki.ca.keyPath], `--tls-key ${pki.ca.keyPath} is not the private key of the certificate`],
      [['--tcp', '127.0.0.1:0', '--tls-cert', pki.server.certPath, '--tls-key', pki.server.keyPath, '--tls-client-ca', pki.server.keyPath], `--tls-client-ca ${pki.server.keyPath}: not valid PEM`],
      [['--tls-cert', pki.server.certPath, '--tls-key', pki.server.keyPath], 'TLS files were given but no TCP listener (--tcp) to use them'],
      [['--tcp', '127.0.0.1:0', '--tls-cert', pki.server.certPath], 'grpc.tls_cert and grpc.tls_key (--tls-cert, --tls-key) go together'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await refused(...base, ...args);
      expect([code, stderr]).toEqual([2, expect.stringContaining(message)]);
    }
    expect(existsSync(root)).toBe(false);
  });

  test('plaintext on a non-loopback address is logged as a warning', async () => {
    // 192.0.2.1 (TEST-NET-1) is on no interface: the warning comes, then the bind fails, and nothing listens.
    const root = tempDir();
    const { code, stderr } = await refused('--root', root, '--address', join(root, 'imaged.sock'), '--tcp', '192.0.2.1:0');
    expect(code).toBe(2);
    const warning = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.level === 'warn');
    expect(warning).toMatchObject({ msg: expect.stringMatching(/^serving plaintext gRPC on a non-loopback TCP address/), tcp: '192.0.2.1:0' });
    expect(stderr).toContain('imaged: cannot listen on 192.0.2.1:0: ');
  });
});

describe('unix socket', () => {
  test('--socket-mode and --socket-group set the socket mode and group', async () => {
    const daemon = await startImaged({ args: ['--socket-mode', '0600', '--socket-group', '4242'] });
    try {
      const st = statSync(daemon.socket);
      expect([st.mode & 0o7777, st.gid]).toEqual([0o600, 4242]);
    } finally {
      await daemon.stop();
    }
  });

  test('a world-writable socket mode, an unknown group, or a directory others could write is refused before anything is created', async () => {
    const parent = tempDir();
    const root = join(parent, 'never-created');
    const base = ['--root', root, '--address', join(root, 'imaged.sock')];
    const mode = await refused(...base, '--socket-mode', '0666');
    expect([mode.code, mode.stderr]).toEqual([2, expect.stringContaining('socket mode 0666 lets every user on the machine connect (others may write)')]);
    const group = await refused(...base, '--socket-group', 'no-such-group-here');
    expect([group.code, group.stderr]).toEqual([2, expect.stringContaining('socket group "no-such-group-here": no such group in /etc/group')]);

    const open = join(parent, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const inOpen = join(open, 'run');
    const socket = join(inOpen, 'imaged.sock');
    const dir = await refused('--root', inOpen, '--address', socket);
    expect([dir.code, dir.stderr]).toEqual([2, expect.stringContaining(`refusing to serve on ${socket}: directory ${open} (mode 0777) is writable by every user and not sticky`)]);
    expect([existsSync(root), existsSync(inOpen)]).toEqual([false, false]);

    // The same directory with the sticky bit (like /tmp) is fine.
    chmodSync(open, 0o1777);
    const daemon = await startImaged({ root: inOpen });
    const version = createServiceClient(Version, daemon.socket);
    expect(await codeOf(version.version({}))).toBe('OK');
    version.close();
    expect(await daemon.stop()).toBe(0);
  });
});

describe('limits', () => {
  test('--max-message-size: a larger Content.Write message is RESOURCE_EXHAUSTED and the daemon carries on; --max-concurrent-streams is advertised', async () => {
    const daemon = await startImaged({ args: ['--max-message-size', String(4 << 20), '--max-concurrent-streams', '7'] });
    const content = createServiceClient(Content, daemon.socket, { 'grpc.max_send_message_length': -1 });
    const ns = inNamespace('limits');
    const write = async (data: Uint8Array) => {
      async function* one() {
        yield { action: WriteAction.WRITE, ref: `r-${data.length}`, offset: 0n, data };
      }
      for await (const _ of content.write(one(), ns));
    };
    try {
      const tooBig = write(randomBytes((4 << 20) + 1));
      expect(await codeOf(tooBig)).toBe('RESOURCE_EXHAUSTED');
      expect(await messageOf(write(randomBytes((4 << 20) + 1)))).toMatch(/Received message larger than max \(\d+ vs 4194304\)/);
      expect(await codeOf(write(randomBytes((4 << 20) - 1024)))).toBe('OK');
      const { statuses } = await content.listStatuses({}, ns);
      expect(statuses.map((s) => [s.ref, Number(s.offset)])).toEqual([[`r-${(4 << 20) - 1024}`, (4 << 20) - 1024]]);

      const session = connect('http://localhost', { createConnection: () => netConnect(daemon.socket) });
      const settings = await new Promise<Settings>((resolve) => session.once('remoteSettings', resolve));
      session.close();
      expect(settings.maxConcurrentStreams).toBe(7);
    } finally {
      content.close();
      await daemon.stop();
    }
  });
});
