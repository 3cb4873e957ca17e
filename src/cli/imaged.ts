/** The `imaged` daemon entry point: parse the command line and configuration, start, stop on SIGINT/SIGTERM. */
import { renderConfig, type ImagedConfig } from '../config/index.js';
import { ImagedError, isDiskFull, isKind } from '../errdefs/index.js';
import { isCommitFailure } from '../metadata/index.js';
import { startDaemon } from '../server/daemon.js';
import { createLogger } from '../log/index.js';
import { daemonConfigOf } from './daemon-config.js';
import { parseDaemonCommand, USAGE } from './daemon-options.js';
import { readPackageInfo } from './package-info.js';

const pkg = readPackageInfo(import.meta.url);

async function run(config: ImagedConfig, configFile: string | undefined): Promise<void> {
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  // Handlers go in before the start, so a signal that arrives while the store opens still stops cleanly.
  let stopRequested: string | undefined;
  let stop = (signal: string): void => void (stopRequested ??= signal);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('unhandledRejection', (reason: unknown) => {
    // A failed metadata commit was already answered to its caller (RESOURCE_EXHAUSTED on a full
    // disk); LMDB's own unawaited writes failing with it are no reason to stop serving.
    if (!isCommitFailure(reason) && !isDiskFull(reason) && !isKind(reason, 'ResourceExhausted')) throw reason;
    logger.log('warn', 'metadata write failed', { err: reason });
  });
  const daemon = await startDaemon({ ...daemonConfigOf(config), build: { version: pkg.version, revision: 'imaged' }, logger });
  if (configFile !== undefined) logger.log('info', 'configuration loaded', { file: configFile });
  let stopping = false;
  stop = (signal) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting down', { signal });
    // In-flight calls get 10 s; should closing the store hang beyond that, exit anyway.
    setTimeout(() => {
      logger.log('error', 'shutdown did not finish within 20 s; exiting');
      process.exit(1);
    }, 20_000).unref();
    daemon.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.log('error', 'shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  if (stopRequested !== undefined) stop(stopRequested);
}

async function main(): Promise<void> {
  const command = parseDaemonCommand(process.argv.slice(2));
  switch (command.kind) {
    case 'help':
      return void process.stdout.write(USAGE);
    case 'version':
      return void process.stdout.write(`imaged ${pkg.version}\n`);
    case 'config-default':
    case 'config-dump':
      return void process.stdout.write(renderConfig(command.config));
    case 'run':
      return run(command.config, command.configFile);
  }
}

main().catch((err: unknown) => {
  const message = err instanceof ImagedError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`imaged: ${message}\n`);
  process.exit(2);
});
