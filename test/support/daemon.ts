/** Starts imaged for a test on a root removed after the test file. */
import { startImagedProcess, type ImagedProcess } from './imaged-process.js';
import { tempDir } from './temp-dir.js';

/** Starts imaged; `root` reuses a data directory (restart tests). */
export const startImaged = (options: { root?: string; args?: readonly string[] } = {}): Promise<ImagedProcess> =>
  startImagedProcess({ root: options.root ?? tempDir('imaged-root-'), ...(options.args ? { args: options.args } : {}) });

/** The TCP port `daemon` (started with `--tcp HOST:0`) reports in its start log line. */
export async function tcpPortOf(daemon: ImagedProcess): Promise<number> {
  for (let i = 0; i < 250 && !daemon.stderr().includes('tcpPort'); i++) await new Promise((r) => setTimeout(r, 20));
  const port = /"tcpPort":(\d+)/.exec(daemon.stderr())?.[1];
  if (port === undefined) throw new Error(`imaged logged no tcpPort: ${daemon.stderr()}`);
  return Number(port);
}
