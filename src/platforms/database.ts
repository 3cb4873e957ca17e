/**
 * The names containerd knows and the aliases it rewrites (`aarch64` → `arm64`, `macos` → `darwin`).
 * The lists follow Go's own `GOOS`/`GOARCH` tables, as containerd's do.
 */
import { hostOs } from './host-names.js';

const KNOWN_OS: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl',
  'netbsd', 'openbsd', 'plan9', 'solaris', 'windows', 'zos',
]);

const KNOWN_ARCH: ReadonlySet<string> = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'ppc64', 'ppc64le', 'loong64', 'mips',
  'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'riscv', 'riscv64', 's390', 's390x',
  'sparc', 'sparc64', 'wasm',
]);

/** Reports whether `os` (already normalized) is an operating system Go knows. */
export const isKnownOs = (os: string): boolean => KNOWN_OS.has(os);

/** Reports whether `arch` (already normalized) is an architecture Go knows. */
export const isKnownArch = (arch: string): boolean => KNOWN_ARCH.has(arch);

/** Lower-cases an operating system name and maps `macos` to `darwin`; an empty name means the host's. */
export function normalizeOs(os: string): string {
  if (os === '') return hostOs();
  const lower = os.toLowerCase();
  return lower === 'macos' ? 'darwin' : lower;
}

/**
 * Normalizes an architecture and its variant: lower-cases both, maps aliases (`x86_64`, `aarch64`,
 * `armhf`, `armel`, `i386`), drops the default variants of amd64 (`v1`) and arm64 (`v8`), and spells
 * out the default 32-bit ARM variant (`v7`).
 */
export function normalizeArch(arch: string, variant: string): { architecture: string; variant: string } {
  const a = arch.toLowerCase();
  const v = variant.toLowerCase();
  switch (a) {
    case 'i386':
      return { architecture: '386', variant: '' };
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return { architecture: 'amd64', variant: v === 'v1' ? '' : v };
    case 'aarch64':
    case 'arm64':
      return { architecture: 'arm64', variant: v === '8' || v === 'v8' ? '' : v };
    case 'armhf':
      return { architecture: 'arm', variant: 'v7' };
    case 'armel':
      return { architecture: 'arm', variant: 'v6' };
    case 'arm':
      if (v === '' || v === '7') return { architecture: 'arm', variant: 'v7' };
      if (v === '5' || v === '6' || v === '8') return { architecture: 'arm', variant: `v${v}` };
      return { architecture: 'arm', variant: v };
    default:
      return { architecture: a, variant: v };
  }
}
