/** Checking a whole blob against the descriptor that names it. */
import { createHash } from 'node:crypto';
import { failedPrecondition } from '../errdefs/index.js';

/** Checks that `bytes` have the descriptor's size and sha256 digest; FailedPrecondition naming both otherwise. */
export function verifyBytes(bytes: Uint8Array, descriptor: { digest: string; size: number }): void {
  const actual = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (bytes.byteLength !== descriptor.size || actual !== descriptor.digest) {
    throw failedPrecondition(
      `blob ${descriptor.digest} is corrupt: expected ${descriptor.size} bytes with that digest, found ${bytes.byteLength} bytes with digest ${actual}`,
    );
  }
}
