export {
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
  MEDIA_TYPE_OCI_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_DOCKER_SCHEMA1_MANIFEST,
  MEDIA_TYPE_OCI_CONFIG,
  MEDIA_TYPE_DOCKER_CONFIG,
  MEDIA_TYPE_CONTAINERD_CHECKPOINT,
  MEDIA_TYPE_CONTAINERD_CHECKPOINT_CONFIG,
  MEDIA_TYPE_OCI_LAYER,
  MEDIA_TYPE_OCI_LAYER_GZIP,
  MEDIA_TYPE_OCI_LAYER_ZSTD,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_GZIP,
  MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_ZSTD,
  MEDIA_TYPE_DOCKER_LAYER,
  MEDIA_TYPE_DOCKER_LAYER_GZIP,
  MEDIA_TYPE_DOCKER_LAYER_ZSTD,
  MEDIA_TYPE_DOCKER_LAYER_FOREIGN,
  MEDIA_TYPE_DOCKER_LAYER_FOREIGN_GZIP,
  MEDIA_TYPE_IN_TOTO,
  isIndex,
  isManifest,
  isConfig,
  isKnownConfig,
  isLayer,
  isNonDistributable,
} from './media-types.js';
export { MAX_MANIFEST_BYTES, MAX_CONFIG_BYTES, MAX_LAYERS, MAX_REFERENCES } from './limits.js';
export type { DocumentSource } from './json-shape.js';
export type { ImageDescriptor } from './descriptor.js';
export { descriptorJson } from './descriptor.js';
export type { ImageIndex } from './parse-index.js';
export { parseIndex } from './parse-index.js';
export type { ImageManifest } from './parse-manifest.js';
export { parseManifest } from './parse-manifest.js';
export type { ImageConfig, ExecutionConfig, HistoryEntry } from './parse-config.js';
export { parseConfig, parseConfigPlatform, configPlatform } from './parse-config.js';
export { readIndex, readManifest, readConfig, readConfigPlatform } from './read-document.js';
export { children } from './children.js';
export type { WalkVisitor } from './walk.js';
export { walkImage } from './walk.js';
export type { ResolvedManifest } from './resolve-manifest.js';
export { resolveManifest } from './resolve-manifest.js';
export type { ResolvedConfig } from './image-config.js';
export { imageConfig, diffIds } from './image-config.js';
export { chainId, chainIds } from './chain-id.js';
export { imagePlatforms } from './image-platforms.js';
export { imageSize } from './image-size.js';
export { GC_REF_CONTENT, ANNOTATION_MANIFEST_SUBJECT, childGcLabelKeys, childGcLabelKeysWithoutLayers, childGcLabels } from './gc-labels.js';
export type { ImageUser } from './user.js';
export { userOf } from './user.js';
