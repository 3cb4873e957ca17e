/** The OCI content descriptor: what a blob is, where to find it and how big it is. */

/** String-to-string map used for labels and annotations. */
export type StringMap = Readonly<Record<string, string>>;

/** Points at a blob by digest, with its media type, size and annotations. */
export interface Descriptor {
  /** Media type of the referenced blob. */
  readonly mediaType: string;
  /** Digest of the blob (validated where it enters the system). */
  readonly digest: string;
  /** Size of the blob in bytes. */
  readonly size: number;
  /** Free-form annotations. */
  readonly annotations: StringMap;
}
