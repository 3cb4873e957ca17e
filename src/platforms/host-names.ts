/** Translates Node's names for the host operating system and CPU into Go's `GOOS`/`GOARCH` spelling. */
import { endianness } from 'node:os';

const OS_NAMES: Readonly<Record<string, string>> = { win32: 'windows', sunos: 'solaris' };

const ARCH_NAMES: Readonly<Record<string, string>> = {
  x64: 'amd64',
  ia32: '386',
  mipsel: 'mipsle',
  mips64el: 'mips64le',
};

/** The Go name of a Node `process.platform` value (`win32` → `windows`). */
export const goOs = (nodePlatform: string): string => OS_NAMES[nodePlatform] ?? nodePlatform;

/** The Go name of a Node `process.arch` value (`x64` → `amd64`); `littleEndian` tells ppc64 from ppc64le. */
export function goArch(nodeArch: string, littleEndian: boolean): string {
  if (nodeArch === 'ppc64' && littleEndian) return 'ppc64le';
  return ARCH_NAMES[nodeArch] ?? nodeArch;
}

/** The host operating system, Go-style. */
export const hostOs = (): string => goOs(process.platform);

/** The host architecture, Go-style. */
export const hostArch = (): string => goArch(process.arch, endianness() === 'LE');
