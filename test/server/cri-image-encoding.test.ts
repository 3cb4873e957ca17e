import { fromBinary, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { ImageSchema } from '../../gen/runtime/v1/api_pb.js';
import type { CriImage } from '../../src/cri/reference-cache.js';
import { encodeCriImage } from '../../src/server/cri-image-encoding.js';
import { toCriImage } from '../../src/server/cri-image-service.js';

const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
const ref = fc.oneof(
  fc.tuple(fc.constantFrom('docker.io/library/a', 'example.com/x/y', '127.0.0.1:5000/z'), fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,10}$/)).map(([n, t]) => `${n}:${t}`),
  fc.tuple(fc.constantFrom('docker.io/library/a', 'example.com/x/y'), hex).map(([n, h]) => `${n}@sha256:${h}`),
  hex.map((h) => `sha256:${h}`),
);
const user = fc.oneof(
  fc.constant({}),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((uid) => ({ uid })),
  fc.string({ minLength: 1, maxLength: 10 }).map((username) => ({ username })),
);
const image: fc.Arbitrary<CriImage> = fc.record({
  facts: fc.record({
    id: hex.map((h) => `sha256:${h}`),
    chainId: fc.constant(''),
    size: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    user,
    configJson: fc.constant('{}'),
  }),
  references: fc.uniqueArray(ref, { maxLength: 5 }),
  pinned: fc.boolean(),
}) as fc.Arbitrary<CriImage>;

test('encodeCriImage writes exactly what the generic encoder writes', () => {
  fc.assert(
    fc.property(image, (im) => {
      const direct = encodeCriImage(im);
      expect(fromBinary(ImageSchema, direct)).toEqual(toCriImage(im));
      expect(Buffer.from(direct)).toEqual(Buffer.from(toBinary(ImageSchema, toCriImage(im))));
    }),
    { numRuns: 500 },
  );
});
