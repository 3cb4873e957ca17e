/** The `imagectl` entry point: run the command line against the daemon's socket, exit with its code. */
import { runImagectl } from '../imagectl/index.js';
import { defaultRoot, defaultSocket } from '../config/default-paths.js';
import { readPackageInfo } from './package-info.js';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());
// A reader that goes away (`imagectl content get X | head`) ends the output, not with a crash.
process.stdout.on('error', () => process.exit(0));

const code = await runImagectl(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  defaultAddress: defaultSocket(defaultRoot()),
  envAddress: process.env['IMAGED_ADDRESS'],
  version: readPackageInfo(import.meta.url).version,
  signal: stop.signal,
});
process.exitCode = code;
