/**
 * The short forms the Docker CLI shows: `docker.io/library/busybox:1` → `busybox:1`.
 */
import { DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX, looksLikeRegistryHost } from './docker-hub.js';
import { formatReference } from './format.js';
import { type Reference, makeReference, name } from './reference.js';

/**
 * The familiar name of `ref`: Docker Hub's domain and, for single-component official images, its
 * `library/` namespace are left out. The domain stays when leaving it out would make the first
 * path component read as a registry host (`docker.io/foo.bar/x`).
 */
export function familiarName(ref: Reference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return name(ref);
  const { path } = ref;
  if (path.startsWith(OFFICIAL_REPO_PREFIX)) {
    const official = path.slice(OFFICIAL_REPO_PREFIX.length);
    if (!official.includes('/')) return official;
  }
  const slash = path.indexOf('/');
  if (slash >= 0 && looksLikeRegistryHost(path.slice(0, slash))) return name(ref);
  return path;
}

/** The familiar form of the whole reference: {@link familiarName} with its tag and digest. */
export const familiarString = (ref: Reference): string =>
  formatReference(makeReference(undefined, familiarName(ref), ref.tag, ref.digest));
