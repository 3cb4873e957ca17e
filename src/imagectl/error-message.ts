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
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
