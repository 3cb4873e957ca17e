/** Platform matchers: which platforms are acceptable, and which of two acceptable ones is preferred. */
import { formatPlatform } from './format.js';
import { normalizePlatform } from './normalize.js';
import type { Platform } from './platform.js';
import { windowsVersionMatcher } from './windows-version.js';

/** Decides whether a platform is acceptable and orders acceptable platforms by preference. */
export interface PlatformMatcher {
  /** Reports whether content for `platform` is acceptable. */
  match(platform: Platform): boolean;
  /** Reports whether `a` is strictly preferred to `b`. */
  less(a: Platform, b: Platform): boolean;
  /** What the matcher accepts, for messages (`linux/amd64`, `linux/arm64 or linux/arm/v8 ...`). */
  readonly description: string;
}

/**
 * The predicate behind a single-platform matcher: same normalized OS, architecture and variant, a
 * compatible Windows version, and no OS feature the wanted platform lacks. Takes the candidate
 * already normalized.
 */
function exactPredicate(platform: Platform): (normalized: Platform) => boolean {
  const want = normalizePlatform(platform);
  const wantFeatures = new Set(want.osFeatures ?? []);
  const osVersionOk = want.os === 'windows' ? windowsVersionMatcher(want.osVersion ?? '') : () => true;
  return (got) =>
    got.os === want.os &&
    got.architecture === want.architecture &&
    (got.variant ?? '') === (want.variant ?? '') &&
    osVersionOk(got.osVersion ?? '') &&
    (got.osFeatures ?? []).every((f) => wantFeatures.has(f));
}

const featureCount = (p: Platform): number => p.osFeatures?.length ?? 0;

const withoutFeatures = (p: Platform): Platform => {
  const { osFeatures: _dropped, ...rest } = p;
  return rest;
};

/**
 * Matches any of `platforms`, preferring them in the order given; among platforms matched by the
 * same entry, the one declaring more OS features wins.
 */
export function ordered(...platforms: readonly Platform[]): PlatformMatcher {
  const predicates = platforms.map(exactPredicate);
  const less = (a: Platform, b: Platform): boolean => {
    const na = normalizePlatform(a);
    const nb = normalizePlatform(b);
    for (const matches of predicates) {
      const am = matches(na);
      const bm = matches(nb);
      if (am && !bm) return true;
      if (am || bm) return am && bm && featureCount(a) !== featureCount(b) ? featureCount(a) > featureCount(b) : false;
    }
    if (featureCount(a) > 0 || featureCount(b) > 0) return less(withoutFeatures(a), withoutFeatures(b));
    return false;
  };
  return {
    match: (p) => {
      const normalized = normalizePlatform(p);
      return predicates.some((matches) => matches(normalized));
    },
    less,
    description: platforms.map(formatPlatform).join(', ') || 'no platform',
  };
}

/** Matches exactly `platform` after normalization (containerd's `NewMatcher`/`OnlyStrict`). */
export const platformMatcher = (platform: Platform): PlatformMatcher => ordered(normalizePlatform(platform));

/** Matches every platform and prefers none (containerd's `All`). */
export const allPlatforms = (): PlatformMatcher => ({ match: () => true, less: () => false, description: 'any platform' });

/**
 * A comparator for `Array.prototype.sort` putting preferred platforms first; entries without a
 * platform sort after all others, keeping their order.
 */
export function comparePlatforms(matcher: PlatformMatcher): (a: Platform | undefined, b: Platform | undefined) => number {
  return (a, b) => {
    if (a === undefined) return b === undefined ? 0 : 1;
    if (b === undefined) return -1;
    if (matcher.less(a, b)) return -1;
    return matcher.less(b, a) ? 1 : 0;
  };
}
