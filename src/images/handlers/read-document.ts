/** Reading image documents through a content Provider, with size caps and parsing. */
import type { Descriptor, Provider } from '../../content/index.js';
import type { Platform } from '../../platforms/index.js';
import { MAX_CONFIG_BYTES, MAX_MANIFEST_BYTES } from './limits.js';
import { parseConfig, parseConfigPlatform, type ImageConfig } from './parse-config.js';
import { parseIndex, type ImageIndex } from './parse-index.js';
import { parseManifest, type ImageManifest } from './parse-manifest.js';

/** Reads and parses the index `desc` points at (at most {@link MAX_MANIFEST_BYTES}). */
export async function readIndex(provider: Provider, desc: Descriptor): Promise<ImageIndex> {
  return parseIndex(await provider.readBlob(desc, MAX_MANIFEST_BYTES), desc);
}

/** Reads and parses the manifest `desc` points at (at most {@link MAX_MANIFEST_BYTES}). */
export async function readManifest(provider: Provider, desc: Descriptor): Promise<ImageManifest> {
  return parseManifest(await provider.readBlob(desc, MAX_MANIFEST_BYTES), desc);
}

/** Reads and parses the image configuration `desc` points at (at most {@link MAX_CONFIG_BYTES}). */
export async function readConfig(provider: Provider, desc: Descriptor): Promise<ImageConfig> {
  return parseConfig(await provider.readBlob(desc, MAX_CONFIG_BYTES), desc);
}

/** Reads only the normalized platform of the configuration `desc` points at. */
export async function readConfigPlatform(provider: Provider, desc: Descriptor): Promise<Platform> {
  return parseConfigPlatform(await provider.readBlob(desc, MAX_CONFIG_BYTES), desc);
}
