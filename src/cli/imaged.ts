/** The `imaged` daemon entry point: parse options, start, stop on SIGINT/SIGTERM. */
import { ImagedError, isDiskFull } from '../errdefs/index.js';
import { isCommitFailure } from '../metadata/index.js';
import { startDaemon } from '../server/daemon.js';
import { createLogger } from '../server/logger.js';
import { parseDaemonOptions, USAGE } from './daemon-options.js';
import { readPackageInfo } from './package-info.js';

const pkg = readPackageInfo(import.meta.url);

async function main(): Promise<void> {
  const options = parseDaemonOptions(process.argv.slice(2));
  if (options.help) return void process.stdout.write(USAGE);
  if (options.version) return void process.stdout.write(`imaged ${pkg.version}\n`);
  const logger = createLogger();
  const daemon = await startDaemon({
    root: options.root,
    socket: options.socket,
    ...(options.tcp === undefined ? {} : { tcp: options.tcp }),
    build: { version: pkg.version, revision: 'imaged' },
    registryConfigDir: options.registryConfigDir,
    maxConcurrentDownloads: options.maxConcurrentDownloads,
    pinnedImages: options.pinnedImages,
    logger,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting down', { signal });
    daemon.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.log('error', 'shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('unhandledRejection', (reason: unknown) => {
    // A failed metadata commit was already answered to its caller (RESOURCE_EXHAUSTED on a full
    // disk); LMDB's own unawaited writes failing with it are no reason to stop serving.
    if (!isCommitFailure(reason) && !isDiskFull(reason)) throw reason;
    logger.log('warn', 'metadata write failed', { err: reason });
  });
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const message = err instanceof ImagedError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`imaged: ${message}\n`);
  process.exit(2);
});
