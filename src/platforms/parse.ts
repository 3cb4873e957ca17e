/** Platform specifiers (`linux/arm64/v8`, `windows(10.0.17763)/amd64`, `arm64`) as containerd reads them. */
import { invalidArgument } from '../errdefs/index.js';
import { hostCpuVariant } from './cpu-variant.js';
import { isKnownArch, isKnownOs, normalizeArch, normalizeOs } from './database.js';
import { hostArch, hostOs } from './host-names.js';
import { decodeOsOption } from './os-options.js';
import { makePlatform, type Platform } from './platform.js';

const COMPONENT = /^[A-Za-z0-9_.-]+$/;
const OS_COMPONENT = /^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$/;

/** The OS, version and features of a specifier's first component. */
interface OsPart {
  readonly os: string;
  readonly osVersion: string;
  readonly osFeatures: readonly string[];
}

function parseOsPart(part: string, specifier: string): OsPart {
  const m = OS_COMPONENT.exec(part);
  if (m === null) {
    throw invalidArgument(
      `invalid platform specifier ${JSON.stringify(specifier)}: first component ${JSON.stringify(part)} must be an ` +
        'OS name of letters, digits, "_" and "-", optionally followed by "(version+feature...)"',
    );
  }
  const what = `platform specifier ${JSON.stringify(specifier)}: OS option`;
  const osVersion = decodeOsOption(m[2] ?? '', what);
  const rawFeatures = m[3] ?? '';
  const osFeatures = rawFeatures === '' ? [] : rawFeatures.slice(1).split('+').map((f) => decodeOsOption(f, what));
  return { os: normalizeOs(m[1] ?? ''), osVersion, osFeatures };
}

/**
 * Parses a platform specifier `<os>|<arch>|<os>/<arch>[/<variant>]`, where `<os>` may carry
 * `(version+feature...)`. A lone known OS gets the host's architecture; a lone known architecture
 * gets the host's OS. Names are normalized (`Linux/x86_64` → `linux/amd64`, `armel` → `arm/v6`),
 * but an explicit three-part arm64 variant keeps its `v8`. Throws InvalidArgument otherwise.
 */
export function parsePlatform(specifier: string): Platform {
  if (specifier.includes('*')) {
    throw invalidArgument(`invalid platform specifier ${JSON.stringify(specifier)}: wildcards are not supported`);
  }
  const parts = specifier.split('/');
  if (parts.length > 3) {
    throw invalidArgument(
      `invalid platform specifier ${JSON.stringify(specifier)}: expected at most three components <os>/<arch>/<variant>, got ${parts.length}`,
    );
  }
  const osPart = parseOsPart(parts[0] ?? '', specifier);
  for (const part of parts.slice(1)) {
    if (!COMPONENT.test(part)) {
      throw invalidArgument(
        `invalid platform specifier ${JSON.stringify(specifier)}: component ${JSON.stringify(part)} must be non-empty ` +
          'and contain only letters, digits, ".", "_" and "-"',
      );
    }
  }
  const { os, osVersion, osFeatures } = osPart;

  if (parts.length === 1) {
    if (isKnownOs(os)) {
      const arch = hostArch();
      const cpu = hostCpuVariant();
      const variant = arch === 'arm' && cpu !== 'v7' ? cpu : '';
      return makePlatform(os, arch, variant, osVersion, osFeatures);
    }
    const { architecture, variant } = normalizeArch(parts[0] ?? '', '');
    if (!isKnownArch(architecture)) {
      throw invalidArgument(
        `invalid platform specifier ${JSON.stringify(specifier)}: ${JSON.stringify(parts[0])} is neither a known ` +
          'operating system nor a known architecture; spell it as <os>/<arch>',
      );
    }
    return makePlatform(hostOs(), architecture, architecture === 'arm' && variant === 'v7' ? '' : variant);
  }

  if (parts.length === 2) {
    const { architecture, variant } = normalizeArch(parts[1] ?? '', '');
    return makePlatform(os, architecture, architecture === 'arm' && variant === 'v7' ? '' : variant, osVersion, osFeatures);
  }

  const { architecture, variant } = normalizeArch(parts[1] ?? '', parts[2] ?? '');
  return makePlatform(os, architecture, architecture === 'arm64' && variant === '' ? 'v8' : variant, osVersion, osFeatures);
}

/** Parses a platform specifier, returning undefined instead of throwing. */
export function tryParsePlatform(specifier: string): Platform | undefined {
  try {
    return parsePlatform(specifier);
  } catch {
    return undefined;
  }
}
