/**
 * The result of checking an input without throwing: a value, or the reason there is none.
 */

/** Either the parsed value or a reason, worded for the end of an error message. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** A successful outcome. */
export const success = <T>(value: T): Outcome<T> => ({ ok: true, value });

/** A failed outcome with the reason. */
export const failure = <T>(reason: string): Outcome<T> => ({ ok: false, reason });
