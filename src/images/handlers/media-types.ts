/** Media types of the image documents and blobs imaged understands (OCI and Docker schema 2). */

/** OCI image index. */
export const MEDIA_TYPE_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
/** Docker schema 2 manifest list (the Docker spelling of an index). */
export const MEDIA_TYPE_DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
/** OCI image manifest. */
export const MEDIA_TYPE_OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
/** Docker schema 2 image manifest. */
export const MEDIA_TYPE_DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Docker schema 1 signed manifest: recognised only to refuse it with a clear message. */
export const MEDIA_TYPE_DOCKER_SCHEMA1_MANIFEST = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
/** OCI image configuration. */
export const MEDIA_TYPE_OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
/** Docker image configuration. */
export const MEDIA_TYPE_DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
/** containerd checkpoint (CRIU image) tarball, a known non-image config type. */
export const MEDIA_TYPE_CONTAINERD_CHECKPOINT = 'application/vnd.containerd.container.criu.checkpoint.criu.tar';
/** containerd checkpoint configuration, a known non-image config type. */
export const MEDIA_TYPE_CONTAINERD_CHECKPOINT_CONFIG = 'application/vnd.containerd.container.checkpoint.config.v1+proto';

/** OCI uncompressed layer. */
export const MEDIA_TYPE_OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar';
/** OCI gzip-compressed layer. */
export const MEDIA_TYPE_OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
/** OCI zstd-compressed layer. */
export const MEDIA_TYPE_OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd';
/** OCI non-distributable layer (deprecated by OCI, still found in Windows images). */
export const MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE = 'application/vnd.oci.image.layer.nondistributable.v1.tar';
/** OCI non-distributable gzip layer. */
export const MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_GZIP = 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip';
/** OCI non-distributable zstd layer. */
export const MEDIA_TYPE_OCI_LAYER_NONDISTRIBUTABLE_ZSTD = 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd';
/** Docker uncompressed layer (sometimes compressed despite the name). */
export const MEDIA_TYPE_DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar';
/** Docker gzip-compressed layer. */
export const MEDIA_TYPE_DOCKER_LAYER_GZIP = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
/** Docker zstd-compressed layer. */
export const MEDIA_TYPE_DOCKER_LAYER_ZSTD = 'application/vnd.docker.image.rootfs.diff.tar.zstd';
/** Docker foreign (non-distributable) layer. */
export const MEDIA_TYPE_DOCKER_LAYER_FOREIGN = 'application/vnd.docker.image.rootfs.foreign.diff.tar';
/** Docker foreign gzip layer. */
export const MEDIA_TYPE_DOCKER_LAYER_FOREIGN_GZIP = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';
/** in-toto attestation statement (the layers of buildx attestation manifests). */
export const MEDIA_TYPE_IN_TOTO = 'application/vnd.in-toto+json';

const DOCKER_LAYER_BASES: ReadonlySet<string> = new Set([
  MEDIA_TYPE_DOCKER_LAYER,
  MEDIA_TYPE_DOCKER_LAYER_GZIP,
  MEDIA_TYPE_DOCKER_LAYER_ZSTD,
  MEDIA_TYPE_DOCKER_LAYER_FOREIGN,
  MEDIA_TYPE_DOCKER_LAYER_FOREIGN_GZIP,
  // EROFS layers and their chunk indexes, which containerd also treats as layers.
  'application/vnd.erofs.layer.v1',
  'application/vnd.erofs',
  'application/vnd.erofs.chunk-index.v1',
]);

/** Reports whether `mediaType` is an image index or Docker manifest list. */
export const isIndex = (mediaType: string): boolean =>
  mediaType === MEDIA_TYPE_OCI_INDEX || mediaType === MEDIA_TYPE_DOCKER_MANIFEST_LIST;

/** Reports whether `mediaType` is an OCI or Docker schema 2 image manifest (schema 1 is not supported). */
export const isManifest = (mediaType: string): boolean =>
  mediaType === MEDIA_TYPE_OCI_MANIFEST || mediaType === MEDIA_TYPE_DOCKER_MANIFEST;

/** Reports whether `mediaType` is an OCI or Docker image configuration. */
export const isConfig = (mediaType: string): boolean =>
  mediaType === MEDIA_TYPE_OCI_CONFIG || mediaType === MEDIA_TYPE_DOCKER_CONFIG;

/** Reports whether `mediaType` is an image configuration or a containerd checkpoint configuration. */
export const isKnownConfig = (mediaType: string): boolean =>
  isConfig(mediaType) ||
  mediaType === MEDIA_TYPE_CONTAINERD_CHECKPOINT ||
  mediaType === MEDIA_TYPE_CONTAINERD_CHECKPOINT_CONFIG;

/**
 * Reports whether `mediaType` is a filesystem layer: any `application/vnd.oci.image.layer.*` type, or a
 * Docker (or EROFS) layer type with any `+suffix` (such as `+encrypted`).
 */
export function isLayer(mediaType: string): boolean {
  if (mediaType.startsWith('application/vnd.oci.image.layer.')) return true;
  const plus = mediaType.indexOf('+');
  return DOCKER_LAYER_BASES.has(plus < 0 ? mediaType : mediaType.slice(0, plus));
}

/** Reports whether `mediaType` is a non-distributable (foreign) layer that registries may not serve. */
export const isNonDistributable = (mediaType: string): boolean =>
  mediaType.startsWith('application/vnd.oci.image.layer.nondistributable.') ||
  mediaType.startsWith('application/vnd.docker.image.rootfs.foreign.');
