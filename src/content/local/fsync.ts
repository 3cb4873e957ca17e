/** Durable file-system steps: fsync a file or a directory. */
import { open } from 'node:fs/promises';

/** Flushes `path` (file or directory) to disk. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
