/** The platform of the machine imaged runs on. */
import { release } from 'node:os';
import { hostCpuVariant } from './cpu-variant.js';
import { hostArch, hostOs } from './host-names.js';
import { makePlatform, type Platform } from './platform.js';

/**
 * The host platform as containerd's `DefaultSpec` reports it: Go-style OS and architecture, the ARM
 * variant read from /proc/cpuinfo on ARM hosts (`v8` on arm64), and the OS version on Windows.
 */
export function hostPlatform(): Platform {
  const os = hostOs();
  return makePlatform(os, hostArch(), hostCpuVariant(), os === 'windows' ? release() : '');
}
