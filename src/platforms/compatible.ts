/**
 * The platforms a machine can run besides its own, best first: older amd64 micro-architecture
 * levels and 386 on amd64; older ARM variants on ARM; 32-bit ARM on arm64.
 */
import { makePlatform, type Platform } from './platform.js';

/** Go's `strconv.Atoi`: an optionally signed decimal integer, or undefined. */
function atoi(s: string): number | undefined {
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

const trimV = (variant: string): string => (variant.startsWith('v') ? variant.slice(1) : variant);

/** `platform` with another architecture and variant, keeping OS, version and features. */
const sibling = (p: Platform, architecture: string, variant: string): Platform =>
  makePlatform(p.os, architecture, variant, p.osVersion ?? '', p.osFeatures ?? []);

/** The arm64 variants a `major.minor` arm64 CPU also runs, best first, excluding itself. */
function olderArm64(p: Platform, variant: string): Platform[] {
  const out: Platform[] = [];
  const dot = variant.indexOf('.');
  const majorPart = dot < 0 ? variant : variant.slice(0, dot);
  let major = atoi(trimV(majorPart));
  if (major === undefined || major < 8) return out;
  let minor = 0;
  if (variant.length === 4 && dot >= 0) minor = atoi(variant.slice(dot + 1)) ?? 0;
  const name = (maj: number, min: number): string => (min === 0 ? `v${maj}` : `v${maj}.${min}`);
  if (major === 9) {
    for (let m = minor - 1; m >= 0; m--) out.push(sibling(p, p.architecture, name(9, m)));
    // ARMv9.x was forked from ARMv8.(x+5), capped at v8.9.
    minor = Math.min(minor + 5, 9);
    major = 8;
    out.push(sibling(p, p.architecture, `v8.${minor}`));
  }
  for (let m = minor - 1; m >= 0; m--) out.push(sibling(p, p.architecture, name(major, m)));
  return out;
}

/** `platform` (already normalized) followed by every platform it can also run, best first. */
export function compatiblePlatforms(platform: Platform): Platform[] {
  const out: Platform[] = [platform];
  const variant = platform.variant ?? '';
  switch (platform.architecture) {
    case 'amd64': {
      const level = atoi(trimV(variant));
      if (level !== undefined && level > 1) {
        for (let l = level - 1; l >= 1; l--) out.push(sibling(platform, 'amd64', `v${l}`));
      }
      out.push(sibling(platform, '386', ''));
      break;
    }
    case 'arm': {
      const version = atoi(trimV(variant));
      if (version !== undefined && version > 5) {
        for (let v = version - 1; v >= 5; v--) out.push(sibling(platform, 'arm', `v${v}`));
      }
      break;
    }
    case 'arm64': {
      const v = variant === '' ? 'v8' : variant;
      out.push(...olderArm64(platform, v));
      // Every arm64 CPU runs 32-bit ARM up to v8; there is no 32-bit v9.
      const armVariant = v.startsWith('v8.') || v.startsWith('v9.') ? 'v8' : v;
      out.push(...compatiblePlatforms(sibling(platform, 'arm', armVariant)));
      break;
    }
    default:
      break;
  }
  return out;
}
