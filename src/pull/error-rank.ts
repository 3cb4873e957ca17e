/**
 * Choosing which error to report after every endpoint failed, as containerd does: the one that got
 * furthest (content problems > HTTP errors > not found > no connection), the first one on a tie.
 */

/** How far a request got before failing. */
export const Rank = {
  /** No HTTP answer: connection refused, DNS, TLS, timeouts. */
  Connection: 1,
  /** The endpoint does not have it (404). */
  NotFound: 2,
  /** Any other HTTP error, including refused authorization and rate limits. */
  Status: 3,
  /** The content was served but is unacceptable (too large, wrong digest, unsupported). */
  Content: 4,
  /** The endpoint's own configuration is broken (an unreadable CA file): reported at once, as containerd does. */
  Config: 5,
} as const;

const ranks = new WeakMap<object, number>();

/** Marks `err` with how far its request got, and returns it. */
export function ranked<E extends Error>(err: E, rank: number): E {
  ranks.set(err, rank);
  return err;
}

/** How far the request behind `err` got ({@link Rank.Connection} when unmarked). */
export const rankOf = (err: unknown): number => (typeof err === 'object' && err !== null ? ranks.get(err) : undefined) ?? Rank.Connection;

/** Keeps the most relevant of several endpoint failures. */
export interface ErrorPicker {
  /** Considers one failure. */
  add(err: unknown): void;
  /** The failure to report, if any was added. */
  best(): unknown;
}

/** Creates an empty {@link ErrorPicker}. */
export function errorPicker(): ErrorPicker {
  let best: unknown;
  let bestRank = 0;
  return {
    add(err) {
      const rank = rankOf(err);
      if (rank > bestRank) {
        best = err;
        bestRank = rank;
      }
    },
    best: () => best,
  };
}
