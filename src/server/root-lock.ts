/** Keeps two daemons from opening the same root: a pid file created exclusively. */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { failedPrecondition } from '../errdefs/index.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the lock on `root`, replacing a stale one; returns the function that releases it. */
export function lockRoot(root: string): () => void {
  const path = join(root, 'imaged.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw failedPrecondition(`root ${root} is in use by imaged pid ${holder}`);
      }
      rmSync(path, { force: true });
    }
  }
  throw failedPrecondition(`cannot lock root ${root}: ${path} keeps reappearing`);
}
