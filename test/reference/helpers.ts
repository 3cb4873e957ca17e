/**
 * Shared expectations for the reference tests.
 */
import { ImagedError } from '../../src/errdefs/index.js';

/** Runs `fn` and returns the InvalidArgument error it throws; fails the test on anything else. */
export function invalidArgumentFrom(fn: () => unknown): ImagedError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImagedError);
    expect((err as ImagedError).kind).toBe('InvalidArgument');
    return err as ImagedError;
  }
  throw new Error('expected an InvalidArgument error, got a value');
}

/** A sha256 digest made of one repeated hex character. */
export const sha = (c: string): string => `sha256:${c.repeat(64)}`;
