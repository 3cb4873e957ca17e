export type { Digest } from './digest.js';
export { parseDigest, tryParseDigest, digestAlgorithm, digestEncoded } from './digest.js';
