/** A pull's progress snapshot as the `imaged.events.v1.PullProgress` event payload. */
import type { EventPayload } from '../events/index.js';
import type { BlobState, PullSnapshot } from '../pull/index.js';
import { BlobStatus, PullProgressSchema } from '../../gen/imaged/events/v1/pull_pb.js';

const STATUS: Readonly<Record<BlobState, BlobStatus>> = {
  waiting: BlobStatus.WAITING,
  downloading: BlobStatus.DOWNLOADING,
  done: BlobStatus.DONE,
  reused: BlobStatus.REUSED,
};

/** The event payload for `snapshot` (fields as protobuf-es init shape, int64 as bigint). */
export function pullProgressEvent(snapshot: PullSnapshot): EventPayload {
  return {
    typeName: PullProgressSchema.typeName,
    fields: {
      id: snapshot.id,
      reference: snapshot.reference,
      imageRef: snapshot.imageRef,
      blobs: snapshot.blobs.map((b) => ({
        digest: b.digest,
        mediaType: b.mediaType,
        total: BigInt(b.total),
        offset: BigInt(b.offset),
        status: STATUS[b.state],
      })),
      downloadedBytes: BigInt(snapshot.downloadedBytes),
      bytesPerSecond: BigInt(snapshot.bytesPerSecond),
      done: snapshot.done,
      error: snapshot.error,
    },
  };
}
