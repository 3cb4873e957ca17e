/** Measuring pulls as a whole (metrics): how many run, how many bytes they fetch, how they end. */

/** One pull being measured. */
export interface PullMeasurement {
  /** `bytes` more arrived from the registry for this pull. */
  fetched(bytes: number): void;
  /** The pull ended, successfully or not. */
  finished(ok: boolean): void;
}

/** Measures every pull. */
export interface PullMeter {
  /** A pull started; what it fetches and how it ends go to the returned measurement. */
  started(): PullMeasurement;
}
