/** Wall-clock time as nanoseconds since the Unix epoch, the unit every stored timestamp uses. */

/** Nanoseconds since the Unix epoch. */
export type Nanos = bigint;

/** The current time in nanoseconds (millisecond resolution, like Date). */
export const nowNanos = (): Nanos => BigInt(Date.now()) * 1_000_000n;

/** Formats nanoseconds as an RFC 3339 string with millisecond precision (for messages). */
export const formatNanos = (t: Nanos): string => new Date(Number(t / 1_000_000n)).toISOString();
