/** What a puller reports about its pulls (metrics listen here). */

/** One pull as it runs. */
export interface PullProgress {
  /** `bytes` more arrived from the registry for this pull. */
  fetched(bytes: number): void;
  /** The pull ended, successfully or not. */
  finished(ok: boolean): void;
}

/** Hears about every pull. */
export interface PullObserver {
  /** A pull started; its progress goes to the returned object. */
  started(): PullProgress;
}
