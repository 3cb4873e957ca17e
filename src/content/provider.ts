/** The read side of content: what consumers (image handlers, the CRI cache, servers) ask for. */
import type { Nanos } from '../clock/index.js';
import type { Descriptor, StringMap } from './descriptor.js';

/** What is known about a committed blob. */
export interface Info {
  /** Its digest. */
  readonly digest: string;
  /** Its size in bytes. */
  readonly size: number;
  /** When it was committed (in this namespace). */
  readonly createdAt: Nanos;
  /** When its labels last changed. */
  readonly updatedAt: Nanos;
  /** Labels such as `containerd.io/gc.ref.content.*` and `containerd.io/gc.root`. */
  readonly labels: StringMap;
}

/** Random access to one blob. */
export interface ReaderAt {
  /** Size of the blob in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes at `offset` (fewer only at the end of the blob). */
  readAt(offset: number, length: number): Promise<Uint8Array>;
  /** Releases the underlying file. */
  close(): Promise<void>;
}

/** Reads committed blobs. Every method throws NotFound for an unknown digest. */
export interface Provider {
  /** The blob's info. */
  info(digest: string): Promise<Info>;
  /** Opens the blob for random access. */
  readerAt(digest: string): Promise<ReaderAt>;
  /**
   * Reads a whole blob described by `descriptor`, refusing (ResourceExhausted) one larger than
   * `maxBytes`, and checks its size and digest (FailedPrecondition if the bytes do not match).
   */
  readBlob(descriptor: Pick<Descriptor, 'digest' | 'size'>, maxBytes: number): Promise<Uint8Array>;
}
