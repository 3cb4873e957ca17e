/** A fetcher that reports every byte it hands out (manifests whole, blobs chunk by chunk). */
import type { BlobStream } from './blob-stream.js';
import type { Fetcher } from './registry-client.js';

/** Counts what `stream` yields into `count`. */
const countingStream = (stream: BlobStream, count: (bytes: number) => void): BlobStream => ({
  offset: stream.offset,
  length: stream.length,
  close: () => stream.close(),
  async *[Symbol.asyncIterator]() {
    for await (const chunk of stream) {
      count(chunk.byteLength);
      yield chunk;
    }
  },
});

/** `fetcher`, with every fetched byte reported to `count`. */
export const countingFetcher = (fetcher: Fetcher, count: (bytes: number) => void): Fetcher => ({
  reference: fetcher.reference,
  endpoints: fetcher.endpoints,
  async fetchManifest(desc, options) {
    const bytes = await fetcher.fetchManifest(desc, options);
    count(bytes.byteLength);
    return bytes;
  },
  async fetchBlob(desc, options) {
    return countingStream(await fetcher.fetchBlob(desc, options), count);
  },
});
