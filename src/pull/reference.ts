/**
 * Image references as a pull needs them: registry host, repository path, tag and/or digest,
 * normalised the way Docker and containerd's CRI plugin do (the grammar lives in src/reference).
 */
import type { Digest } from '../digest/index.js';
import { formatReference, parseNormalizedNamed, DEFAULT_TAG } from '../reference/index.js';

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** The registry host (`docker.io`, `127.0.0.1:5000`). */
  readonly host: string;
  /** The repository path inside the registry (`library/busybox`). */
  readonly repository: string;
  /** The tag, when the reference has one (`latest` when it had neither tag nor digest). */
  readonly tag?: string;
  /** The digest, when the reference has one. */
  readonly digest?: Digest;
  /** The normalised full reference (`docker.io/library/busybox:latest`). */
  readonly name: string;
}

/** Parses and normalises `ref`; throws InvalidArgument saying what is wrong with it. */
export function parseReference(ref: string): ImageReference {
  const parsed = parseNormalizedNamed(ref);
  const tag = parsed.tag ?? (parsed.digest === undefined ? DEFAULT_TAG : undefined);
  const full = { ...parsed, ...(tag === undefined ? {} : { tag }) };
  return {
    host: parsed.domain ?? 'docker.io',
    repository: parsed.path,
    ...(tag === undefined ? {} : { tag }),
    ...(parsed.digest === undefined ? {} : { digest: parsed.digest }),
    name: formatReference(full),
  };
}

/** The token scope that lets a client pull from the reference's repository. */
export const pullScope = (ref: ImageReference): string => `repository:${ref.repository}:pull`;
