/** Matchers for "this machine's platform": its own and the platforms it can also run. */
import { compatiblePlatforms } from './compatible.js';
import { formatPlatform } from './format.js';
import { hostPlatform } from './host.js';
import { ordered, type PlatformMatcher } from './matcher.js';
import { normalizePlatform } from './normalize.js';
import type { Platform } from './platform.js';

/**
 * Matches `platform` and the platforms it can run, preferring the closest (containerd's `Only`):
 * amd64 also accepts 386 (and lower `vN` levels), arm/v7 accepts v6 and v5, arm64 accepts arm/v8
 * down to arm/v5, arm64/v9.x accepts older v9 and the matching v8 minors.
 */
export function onlyPlatform(platform: Platform): PlatformMatcher {
  const [, ...others] = compatiblePlatforms(normalizePlatform(platform));
  const matcher = ordered(normalizePlatform(platform), ...others);
  const also = others.length === 0 ? '' : ` (or compatible ${others.map(formatPlatform).join(', ')})`;
  return { ...matcher, description: `${formatPlatform(platform)}${also}` };
}

/** The matcher the image walker uses when none is given: {@link onlyPlatform} of {@link hostPlatform}. */
export const defaultPlatformMatcher = (): PlatformMatcher => onlyPlatform(hostPlatform());
