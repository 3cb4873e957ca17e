/** Descriptors as they appear inside indexes and manifests, with the optional OCI fields. */
import type { Descriptor } from '../../content/index.js';
import { parseDigest } from '../../digest/index.js';
import { makePlatform, type Platform } from '../../platforms/index.js';
import {
  asObject,
  at,
  field,
  optionalString,
  optionalStringMap,
  optionalStrings,
  requiredString,
  show,
  type Fail,
} from './json-shape.js';

/** A descriptor read from an image document: a content descriptor plus the OCI optional fields. */
export interface ImageDescriptor extends Descriptor {
  /** The platform an index entry is for. */
  readonly platform?: Platform;
  /** Alternative download locations (foreign layers). */
  readonly urls?: readonly string[];
  /** The artifact type of an artifact manifest entry. */
  readonly artifactType?: string;
}

/** Reads a platform object (`os`, `architecture`, `variant`, `os.version`, `os.features`). */
export function readPlatform(value: unknown, path: string, fail: Fail): Platform {
  const obj = asObject(value, path, fail);
  return makePlatform(
    optionalString(obj, 'os', path, fail) ?? '',
    optionalString(obj, 'architecture', path, fail) ?? '',
    optionalString(obj, 'variant', path, fail) ?? '',
    optionalString(obj, 'os.version', path, fail) ?? '',
    optionalStrings(obj, 'os.features', path, fail) ?? [],
  );
}

/** `value` as a digest string, checked with the same rules as everywhere else in imaged. */
export function asDigest(value: unknown, path: string, fail: Fail): string {
  if (typeof value !== 'string') return fail(path, `expected a digest string, got ${show(value)}`);
  try {
    return parseDigest(value);
  } catch (err) {
    return fail(path, (err as Error).message);
  }
}

/** Reads one descriptor object; `mediaType`, `digest` and a non-negative integer `size` are required. */
export function readDescriptor(value: unknown, path: string, fail: Fail): ImageDescriptor {
  const obj = asObject(value, path, fail);
  const mediaType = requiredString(obj, 'mediaType', path, fail);
  const digest = asDigest(requiredString(obj, 'digest', path, fail), at(path, 'digest'), fail);
  const size = field(obj, 'size');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    return fail(at(path, 'size'), `expected a non-negative integer, got ${show(size)}`);
  }
  const platform = field(obj, 'platform');
  const urls = optionalStrings(obj, 'urls', path, fail);
  const artifactType = optionalString(obj, 'artifactType', path, fail);
  optionalString(obj, 'data', path, fail);
  return {
    mediaType,
    digest,
    size,
    annotations: optionalStringMap(obj, 'annotations', path, fail) ?? {},
    ...(platform === undefined ? {} : { platform: readPlatform(platform, at(path, 'platform'), fail) }),
    ...(urls === undefined ? {} : { urls }),
    ...(artifactType === undefined ? {} : { artifactType }),
  };
}

/** Writes a descriptor back in its OCI JSON form (platform fields under their OCI names). */
export function descriptorJson(desc: ImageDescriptor): Record<string, unknown> {
  const p = desc.platform;
  return {
    mediaType: desc.mediaType,
    digest: desc.digest,
    size: desc.size,
    ...(Object.keys(desc.annotations).length === 0 ? {} : { annotations: desc.annotations }),
    ...(desc.urls === undefined ? {} : { urls: desc.urls }),
    ...(desc.artifactType === undefined ? {} : { artifactType: desc.artifactType }),
    ...(p === undefined
      ? {}
      : {
          platform: {
            architecture: p.architecture,
            os: p.os,
            ...(p.osVersion === undefined ? {} : { 'os.version': p.osVersion }),
            ...(p.osFeatures === undefined ? {} : { 'os.features': p.osFeatures }),
            ...(p.variant === undefined ? {} : { variant: p.variant }),
          },
        }),
  };
}
