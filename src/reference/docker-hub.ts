/**
 * Docker Hub's defaults: the domain, repository namespace and tag that familiar names leave out.
 */
import { hasUpperCase } from './grammar.js';

/** The domain a name without a registry host refers to. */
export const DEFAULT_DOMAIN = 'docker.io';

/** Docker Hub's legacy index host, normalized to {@link DEFAULT_DOMAIN}. */
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';

/** The Docker Hub namespace of official images, such as `library/busybox`. */
export const OFFICIAL_REPO_PREFIX = 'library/';

/** The tag a name without tag or digest gets when pulled. */
export const DEFAULT_TAG = 'latest';

/** Reports whether the first component of a name is read as a registry host rather than a path. */
export const looksLikeRegistryHost = (component: string): boolean =>
  component === 'localhost' || /[.:]/.test(component) || hasUpperCase(component);
