/**
 * Building list responses from per-record encodings. Stored records are immutable and replaced on
 * change, so each record's encoding is computed once and kept for as long as the record lives.
 */

/** One encoding (or encoded reply) per immutable record, computed on first use and dropped with the record. */
export class EncodingCache<T extends object, E = Uint8Array> {
  private readonly encodings = new WeakMap<T, E>();

  /** The encoding of `record`, computed with `encode` the first time it is asked for. */
  of(record: T, encode: (record: T) => E): E {
    let bytes = this.encodings.get(record);
    if (bytes === undefined) {
      bytes = encode(record);
      this.encodings.set(record, bytes);
    }
    return bytes;
  }
}

const records = new EncodingCache<object>();

/** The encoding of `record` as an element of a list, computed with `encode` the first time it is asked for. */
export const encodeOnce = <T extends object>(record: T, encode: (record: T) => Uint8Array): Uint8Array =>
  records.of(record, encode as (record: object) => Uint8Array);

const varintLength = (n: number): number => {
  let length = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    length++;
  }
  return length;
};

const writeVarint = (out: Uint8Array, at: number, n: number): number => {
  while (n >= 0x80) {
    out[at++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[at++] = n;
  return at;
};

/** Encodes a message whose only content is repeated message field `fieldNumber` holding `items`. */
export function encodeRepeatedField(fieldNumber: number, items: readonly Uint8Array[]): Uint8Array {
  const tag = fieldNumber * 8 + 2;
  let total = 0;
  for (const item of items) total += varintLength(tag) + varintLength(item.length) + item.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const item of items) {
    at = writeVarint(out, at, tag);
    at = writeVarint(out, at, item.length);
    out.set(item, at);
    at += item.length;
  }
  return out;
}

/** Bytes a ReadContentResponse header can take in front of its data (see {@link encodeReadChunk}). */
export const READ_CHUNK_HEADROOM = 1 + 10 + 1 + 5;

/**
 * Encodes containerd's ReadContentResponse (offset = 1, data = 2) around a file chunk. When the
 * caller says the {@link READ_CHUNK_HEADROOM} bytes in front of `data` in its buffer are its own to
 * overwrite, the header is written there and the data is not copied at all (1 MiB a message adds up).
 */
export function encodeReadChunk(offset: number, data: Uint8Array, ownsHeadroom = false): Uint8Array {
  const header = new Uint8Array(READ_CHUNK_HEADROOM);
  let at = 0;
  if (offset > 0) {
    header[at++] = 0x08;
    at = writeVarint(header, at, offset);
  }
  if (data.byteLength === 0) return header.slice(0, at);
  header[at++] = 0x12;
  at = writeVarint(header, at, data.byteLength);
  if (ownsHeadroom && data.byteOffset >= READ_CHUNK_HEADROOM) {
    const framed = new Uint8Array(data.buffer, data.byteOffset - at, at + data.byteLength);
    framed.set(header.subarray(0, at), 0);
    return framed;
  }
  const out = Buffer.allocUnsafe(at + data.byteLength);
  out.set(header.subarray(0, at), 0);
  out.set(data, at);
  return out;
}
