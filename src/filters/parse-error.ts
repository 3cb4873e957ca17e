/** Parse errors that show where in the filter the problem is. */
import { type ImagedError, invalidArgument } from '../errdefs/index.js';

/**
 * Renders containerd's parse error text: `filters: parse error: [before >|x|< after]: message`,
 * where `x` is the character at `pos`, or `[input]: message` when `pos` is at the end.
 */
export function describeParseError(input: string, pos: number, message: string): string {
  if (pos < input.length) {
    const cp = input.codePointAt(pos) ?? 0;
    const end = pos + (cp > 0xffff ? 2 : 1);
    return `filters: parse error: [${input.slice(0, pos)} >|${input.slice(pos, end)}|< ${input.slice(end)}]: ${message}`;
  }
  return `filters: parse error: [${input}]: ${message}`;
}

/** An InvalidArgument error for a problem at `pos` of `input`. */
export function parseError(input: string, pos: number, message: string): ImagedError {
  return invalidArgument(describeParseError(input, pos, message));
}
