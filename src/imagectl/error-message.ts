/** The one line imagectl prints for a failure: `imagectl: <code>: <message>`. */
import { status } from '@grpc/grpc-js';
import { ImagedError } from '../errdefs/index.js';

/** `NOT_FOUND` or `NotFound` in words: `not found`. */
const words = (name: string): string =>
  name.includes('_') ? name.toLowerCase().replace(/_/g, ' ') : name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** The code in words and the message of `err`, on one line (gRPC errors, imaged errors, anything). */
export function errorMessage(err: unknown): string {
  let text: string;
  if (err instanceof ImagedError) text = `${words(err.kind)}: ${err.message}`;
  else if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number' && 'details' in err) {
    const { code, details } = err as { code: number; details: unknown };
    text = `${words(status[code] ?? `code ${code}`)}: ${String(details)}`;
  } else text = err instanceof Error ? err.message : String(err);
  // grpc-js appends an empty "Resolution note:" to connection failures.
  return text.replace(/\s*\n\s*/g, ' ').replace(/\s*Resolution note:\s*$/, '').trim();
}

/** A failure whose lines were already printed (some targets of a multi-target command failed). */
export class AlreadyReported extends Error {
  /** `failed` of `total` targets failed. */
  constructor(
    readonly failed: number,
    readonly total: number,
  ) {
    super(`${failed} of ${total} failed`);
  }
}

/** The exit code for `err`: 2 for a usage error (bad input caught before calling the daemon), else 1. */
export const exitCodeOf = (err: unknown): number => (err instanceof ImagedError && err.kind === 'InvalidArgument' ? 2 : 1);

/**
 * Runs `action` for each target in turn; a failing target prints `imagectl: <message>` to `stderr`
 * and the rest still run. Throws {@link AlreadyReported} if any failed.
 */
export async function forEachTarget<T>(targets: readonly T[], stderr: { write(s: string): unknown }, action: (target: T) => Promise<void>): Promise<void> {
  let failed = 0;
  for (const target of targets) {
    try {
      await action(target);
    } catch (err) {
      failed++;
      stderr.write(`imagectl: ${errorMessage(err)}\n`);
    }
  }
  if (failed > 0) throw new AlreadyReported(failed, targets.length);
}
