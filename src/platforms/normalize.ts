/** Canonical form of a platform, the form matchers compare. */
import { normalizeArch, normalizeOs } from './database.js';
import { makePlatform, type Platform } from './platform.js';

/**
 * Returns the canonical form of `platform`: OS and architecture aliases resolved, default variants
 * applied (`arm` → `arm/v7`, `arm64/v8` → `arm64`, `amd64/v1` → `amd64`), OS features sorted and
 * de-duplicated. An empty OS stands for the host's.
 */
export function normalizePlatform(platform: Platform): Platform {
  const { architecture, variant } = normalizeArch(platform.architecture, platform.variant ?? '');
  const features = [...new Set((platform.osFeatures ?? []).filter((f) => f !== ''))].sort();
  return makePlatform(normalizeOs(platform.os), architecture, variant, platform.osVersion ?? '', features);
}

/** Reports whether two platforms are identical field by field (no normalization). */
export function samePlatform(a: Platform, b: Platform): boolean {
  const fa = a.osFeatures ?? [];
  const fb = b.osFeatures ?? [];
  return (
    a.os === b.os &&
    a.architecture === b.architecture &&
    (a.variant ?? '') === (b.variant ?? '') &&
    (a.osVersion ?? '') === (b.osVersion ?? '') &&
    fa.length === fb.length &&
    fa.every((f, i) => f === fb[i])
  );
}
