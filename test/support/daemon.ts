/** Starts imaged for a test on a root removed after the test file. */
import { startImagedProcess, type ImagedProcess } from './imaged-process.js';
import { tempDir } from './temp-dir.js';

/** Starts imaged; `root` reuses a data directory (restart tests). */
export const startImaged = (options: { root?: string; args?: readonly string[] } = {}): Promise<ImagedProcess> =>
  startImagedProcess({ root: options.root ?? tempDir('imaged-root-'), ...(options.args ? { args: options.args } : {}) });
