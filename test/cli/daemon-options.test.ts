import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { ImagedError } from '../../src/errdefs/index.js';
import { parseDaemonCommand } from '../../src/cli/daemon-options.js';
import { tempDir } from '../support/temp-dir.js';

const runConfig = (args: readonly string[]) => {
  const command = parseDaemonCommand(args);
  if (command.kind !== 'run') throw new Error(`expected run, got ${command.kind}`);
  return command;
};

test('commands: run, config default, config dump, help, version', () => {
  expect(runConfig(['--root', '/data/x']).config.root).toBe('/data/x');
  expect(parseDaemonCommand(['config', 'default']).kind).toBe('config-default');
  expect(parseDaemonCommand(['config', 'dump', '--tcp', '127.0.0.1:1']).kind).toBe('config-dump');
  expect(parseDaemonCommand(['-h']).kind).toBe('help');
  expect(parseDaemonCommand(['--version']).kind).toBe('version');
  expect(() => parseDaemonCommand(['serve'])).toThrow(/unknown command "serve"/);
});

test.each([
  [['--tcp', '127.0.0.1:7070'], '127.0.0.1:7070'],
  [['--tcp', '[::1]:7070'], '[::1]:7070'],
  [['--tcp', 'localhost:0'], 'localhost:0'],
])('--tcp %j', (args, tcp) => {
  expect(runConfig(args).config.tcpAddress).toBe(tcp);
});

test('--config reads the file (flags win); an explicit missing file is an error naming it', () => {
  const file = join(tempDir(), 'config.toml');
  writeFileSync(file, 'version = 1\n[cri]\nmax_concurrent_downloads = 7\nsandbox_image = "pause:1"\n');
  const command = runConfig(['--config', file, '--sandbox-image', 'pause:2']);
  expect(command.configFile).toBe(file);
  expect(command.config.maxConcurrentDownloads).toBe(7);
  expect(command.config.sandboxImage).toBe('pause:2');
  expect(() => parseDaemonCommand(['--config', join(tempDir(), 'absent.toml')])).toThrow(/config file .*absent\.toml: ENOENT/);
  writeFileSync(file, '[cri\n');
  expect(() => parseDaemonCommand(['-c', file])).toThrow(new RegExp(`config file ${file}: `));
});

test.each([[['--tcp', '7070']], [['--tcp', 'a b:1']], [['--nope']], [['positional']], [['--root']]])('rejects %j with InvalidArgument', (args) => {
  expect(() => parseDaemonCommand(args)).toThrow(ImagedError);
});

test('any argument list parses or is InvalidArgument', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constantFrom(...['--root', '--address', '--tcp', '--help', '-h', '--version', '--socket-mode', '--gc-interval', 'config', 'dump'], ...['--tls-cert', '--tls-key', '--tls-client-ca', '--socket-group', '--max-message-size', '--max-concurrent-streams']), fc.string())),
      (args) => {
        try {
          parseDaemonCommand(args);
        } catch (err) {
          expect((err as ImagedError).kind).toBe('InvalidArgument');
        }
      },
    ),
    { numRuns: 2000 },
  );
});
