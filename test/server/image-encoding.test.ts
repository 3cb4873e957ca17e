import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ReadContentResponseSchema } from '../../gen/services/content/v1/content_pb.js';
import { encodeReadChunk, READ_CHUNK_HEADROOM } from '../../src/server/encoding-cache.js';
import fc from 'fast-check';
import { ImageSchema } from '../../gen/services/images/v1/images_pb.js';
import type { Image } from '../../src/images/index.js';
import { toImage } from '../../src/server/convert.js';
import { encodeImage } from '../../src/server/image-encoding.js';

const stringMap = fc.dictionary(fc.string({ minLength: 1 }), fc.string(), { maxKeys: 5 });
const image: fc.Arbitrary<Image> = fc.record({
  name: fc.string(),
  labels: stringMap,
  target: fc.record({
    mediaType: fc.string(),
    digest: fc.string(),
    size: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    annotations: stringMap,
  }),
  createdAt: fc.bigInt({ min: 0n, max: 2n ** 62n }),
  updatedAt: fc.bigInt({ min: 0n, max: 2n ** 62n }),
});

test('encodeImage decodes to exactly what the generic converter builds', () => {
  fc.assert(
    fc.property(image, (im) => {
      expect(fromBinary(ImageSchema, encodeImage(im))).toEqual(toImage(im));
    }),
    { numRuns: 500 },
  );
});

test('encodeImage matches the generic encoder byte for byte when maps are ordered', () => {
  // Integer-like keys are always enumerated first by JavaScript, so prefix keys to keep insertion order.
  const prefixed = (m: Readonly<Record<string, string>>) => Object.entries(m).map(([k, v]) => [`k${k}`, v] as const);
  const sorted = (m: Readonly<Record<string, string>>) =>
    Object.fromEntries(prefixed(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  fc.assert(
    fc.property(image, (im) => {
      const ordered = { ...im, labels: sorted(im.labels), target: { ...im.target, annotations: sorted(im.target.annotations) } };
      expect(Buffer.from(encodeImage(ordered))).toEqual(Buffer.from(toBinary(ImageSchema, toImage(ordered))));
    }),
    { numRuns: 500 },
  );
});

test('encodeReadChunk decodes as the ReadContentResponse the generic encoder would write', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.uint8Array({ maxLength: 300 }), (offset, data) => {
      const expected = Buffer.from(toBinary(ReadContentResponseSchema, create(ReadContentResponseSchema, { offset: BigInt(offset), data })));
      expect(Buffer.from(encodeReadChunk(offset, data))).toEqual(expected);
      const roomy = new Uint8Array(READ_CHUNK_HEADROOM + data.length);
      roomy.set(data, READ_CHUNK_HEADROOM);
      expect(Buffer.from(encodeReadChunk(offset, roomy.subarray(READ_CHUNK_HEADROOM), true))).toEqual(expected);
    }),
    { numRuns: 300 },
  );
});
