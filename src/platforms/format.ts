/** Platform → specifier string, the inverse of {@link parsePlatform}. */
import { encodeOsOption } from './os-options.js';
import type { Platform } from './platform.js';

/** `os/arch[/variant]` only, without OS version or features (containerd's `Format`); `unknown` when the OS is empty. */
export function formatPlatformShort(platform: Platform): string {
  if (platform.os === '') return 'unknown';
  return [platform.os, platform.architecture, platform.variant ?? ''].filter((s) => s !== '').join('/');
}

/**
 * The full specifier (containerd's `FormatAll`): `os(version+feature...)/arch[/variant]`, features
 * sorted, empty features skipped, option values percent-encoded; `unknown` when the OS is empty.
 */
export function formatPlatform(platform: Platform): string {
  if (platform.os === '') return 'unknown';
  const features = (platform.osFeatures ?? []).filter((f) => f !== '').sort();
  const options = encodeOsOption(platform.osVersion ?? '') + features.map((f) => `+${encodeOsOption(f)}`).join('');
  const os = options === '' ? platform.os : `${platform.os}(${options})`;
  return [os, platform.architecture, platform.variant ?? ''].filter((s) => s !== '').join('/');
}
