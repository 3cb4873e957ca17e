/** Size caps for documents read whole into memory. */

/** Largest index or manifest imaged reads: 4 MiB, the limit registries apply to manifests. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** Largest image configuration imaged reads: 8 MiB (configs carry history and can outgrow manifests). */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/**
 * Most descriptors one traversal will look at, duplicates included, as in containerd; a larger
 * (or cyclic) graph fails with ResourceExhausted instead of running away.
 */
export const MAX_REFERENCES = 10_000;

/**
 * Most layers an image may have: 128, the stacking limit containerd cites for some runtimes (and a
 * little above Docker's 125), so a pull never stores an image no snapshotter would mount.
 */
export const MAX_LAYERS = 128;
