/**
 * Errors for inputs that are not references, worded as `invalid reference "x": reason`.
 */
import { type ImagedError, invalidArgument } from '../errdefs/index.js';

/** How much of an input an error message repeats before cutting it short. */
const MAX_QUOTED = 128;

/** Quotes `s` for an error message, shortening very long input. */
export const quote = (s: string): string => JSON.stringify(s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}…` : s);

/** Creates the InvalidArgument error for `input`, saying why it is not a reference. */
export const invalidReference = (input: string, reason: string): ImagedError =>
  invalidArgument(`invalid reference ${quote(input)}: ${reason}`);
