export type { Digest } from './digest.js';
export { parseDigest, tryParseDigest, digestAlgorithm, digestEncoded } from './digest.js';
export { DigestSet } from './digest-set.js';
export { verifyBytes } from './verify-bytes.js';
