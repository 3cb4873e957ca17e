import { armVariantFromCpuInfo, goArch, goOs } from '../../src/platforms/index.js';

const cpuinfo = (arch: string, model = 'ARMv7 Processor rev 4 (v7l)'): string =>
  `processor\t: 0\nmodel name\t: ${model}\nBogoMIPS\t: 38.40\nCPU implementer\t: 0x41\nCPU architecture: ${arch}\nCPU variant\t: 0x0\n\nprocessor\t: 1\nCPU architecture: 5\n`;

test.each([
  [cpuinfo('8'), 'aarch64', 'arm64', 'v8'],
  [cpuinfo('AArch64'), 'aarch64', 'arm64', 'v8'],
  [cpuinfo('7'), 'armv7l', 'arm', 'v7'],
  [cpuinfo('7', 'ARMv6-compatible processor rev 7 (v6l)'), 'armv6l', 'arm', 'v6'],
  [cpuinfo('7', 'ARMv6-compatible processor rev 7 (v6l)'), 'armv6l', 'arm64', 'v7'],
  [cpuinfo('7M'), 'armv7l', 'arm', 'v7'],
  [cpuinfo('?(12)'), 'armv7l', 'arm', 'v7'],
  [cpuinfo('6TEJ'), 'armv6l', 'arm', 'v6'],
  [cpuinfo('5TE'), 'armv5tel', 'arm', 'v5'],
  [cpuinfo('4T'), 'armv4t', 'arm', 'v4'],
  [cpuinfo('3'), 'armv3', 'arm', 'v3'],
  [cpuinfo('9'), 'aarch64', 'arm64', 'unknown'],
  // No "CPU architecture" line (emulated ARM): the machine name decides.
  ['processor\t: 0\n', 'aarch64', 'arm64', 'v8'],
  ['processor\t: 0\n', 'armv7l', 'arm', 'v7'],
  ['processor\t: 0\n', 'armv6l', 'arm', 'v6'],
  ['processor\t: 0\n', 'armv2', 'arm', 'unknown'],
  ['processor\t: 0\n', 'x86_64', 'arm', ''],
])('cpuinfo case %# on %s/%s → %s', (text, machine, arch, expected) => {
  expect(armVariantFromCpuInfo(text, machine, arch)).toBe(expected);
});

test.each([
  ['linux', 'linux'],
  ['win32', 'windows'],
  ['darwin', 'darwin'],
  ['sunos', 'solaris'],
])('Node platform %s is GOOS %s', (node, go) => expect(goOs(node)).toBe(go));

test.each([
  ['x64', true, 'amd64'],
  ['ia32', true, '386'],
  ['arm', true, 'arm'],
  ['arm64', true, 'arm64'],
  ['ppc64', true, 'ppc64le'],
  ['ppc64', false, 'ppc64'],
  ['s390x', false, 's390x'],
  ['mipsel', true, 'mipsle'],
  ['riscv64', true, 'riscv64'],
])('Node arch %s (little endian %s) is GOARCH %s', (node, le, go) => expect(goArch(node, le)).toBe(go));
