export type { Reference, TaggedReference, DigestedReference } from './reference.js';
export { name, isTagged, isDigested, isCanonical, isNameOnly } from './reference.js';
export { MAX_NAME_LENGTH, MAX_TAG_LENGTH, isValidTag } from './grammar.js';
export { DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX, DEFAULT_TAG } from './docker-hub.js';
export { parseReference, tryParseReference } from './parse.js';
export {
  parseNormalizedNamed,
  tryParseNormalizedNamed,
  parseDockerRef,
  tryParseDockerRef,
  parseNamed,
  parseAnyReference,
} from './normalize.js';
export { formatReference, tagged, digested, trimReference } from './format.js';
export { familiarName, familiarString } from './familiar.js';
export type { ImageReferences } from './split-references.js';
export { splitReferences } from './split-references.js';
export { sortReferences } from './sort-references.js';
