/**
 * The ARM CPU variant of the host (`v6`, `v7`, `v8`), found the way containerd finds it: the
 * "CPU architecture" line of /proc/cpuinfo, else the kernel's machine name.
 */
import { readFileSync } from 'node:fs';
import { machine } from 'node:os';
import { hostArch, hostOs } from './host-names.js';

const VARIANTS: Readonly<Record<string, string>> = {
  '8': 'v8',
  aarch64: 'v8',
  '7': 'v7',
  '7m': 'v7',
  '?(12)': 'v7',
  '?(13)': 'v7',
  '?(14)': 'v7',
  '?(15)': 'v7',
  '?(16)': 'v7',
  '?(17)': 'v7',
  '6': 'v6',
  '6tej': 'v6',
  '5': 'v5',
  '5t': 'v5',
  '5te': 'v5',
  '5tej': 'v5',
  '4': 'v4',
  '4t': 'v4',
  '3': 'v3',
};

/** The value of the first `key: value` line of a cpuinfo text whose key matches `field` (any case). */
function cpuInfoField(cpuinfo: string, field: string): string | undefined {
  const wanted = field.toLowerCase();
  for (const line of cpuinfo.split('\n')) {
    const parts = line.split(':');
    if (parts.length > 1 && (parts[0] ?? '').trim().toLowerCase() === wanted) return (parts[1] ?? '').trim();
  }
  return undefined;
}

/** The raw variant number encoded in a kernel machine name (`armv7l` → `7`, `aarch64` → `8`). */
function variantFromMachine(machineName: string): string | undefined {
  const m = machineName.toLowerCase();
  if (m === 'aarch64') return '8';
  if (m.startsWith('armv') && m.length >= 5) {
    const digit = m.slice(4, 5);
    return '345678'.includes(digit) ? digit : 'unknown';
  }
  return undefined;
}

/**
 * Works out an ARM variant from the text of /proc/cpuinfo and the kernel machine name, for a process
 * whose Go architecture is `arch`. Returns `v3`…`v8`, `unknown` for an unrecognised CPU, or the empty
 * string when neither source says anything.
 */
export function armVariantFromCpuInfo(cpuinfo: string, machineName: string, arch: string): string {
  let raw = cpuInfoField(cpuinfo, 'Cpu architecture') ?? variantFromMachine(machineName);
  if (raw === undefined) return '';
  // Raspberry Pi ARMv6 boards report architecture 7; their model name tells the truth.
  if (arch === 'arm' && raw === '7' && (cpuInfoField(cpuinfo, 'model name') ?? '').toLowerCase().startsWith('armv6-compatible')) {
    raw = '6';
  }
  return VARIANTS[raw.toLowerCase()] ?? 'unknown';
}

/** What containerd assumes on systems without /proc/cpuinfo. */
function nonLinuxArmVariant(os: string, arch: string): string {
  if (os === 'windows' || os === 'darwin') return arch === 'arm64' ? 'v8' : 'v7';
  if (os === 'freebsd') return arch === 'arm64' ? 'v8' : 'unknown';
  return '';
}

let cached: string | undefined;

/** The host's CPU variant for ARM hosts (empty on every other architecture); computed once. */
export function hostCpuVariant(): string {
  if (cached !== undefined) return cached;
  const arch = hostArch();
  if (arch !== 'arm' && arch !== 'arm64') return (cached = '');
  const os = hostOs();
  if (os !== 'linux') return (cached = nonLinuxArmVariant(os, arch));
  let cpuinfo: string;
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return (cached = '');
  }
  return (cached = armVariantFromCpuInfo(cpuinfo, machine(), arch));
}
