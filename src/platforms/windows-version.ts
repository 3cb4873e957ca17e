/**
 * Windows container/host OS version compatibility: a container built for an older build only runs
 * on a host of the same build, except for stable-ABI LTSC releases from Windows Server 2022 on.
 */

/** A parsed `major.minor.build[.revision]` Windows version; all zero when unparseable. */
interface WindowsVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
}

const WS2022_BUILD = 20348;
/** Builds whose containers later hosts keep running, ascending. */
const STABLE_ABI_LTSC_BUILDS: readonly number[] = [WS2022_BUILD];

const EMPTY: WindowsVersion = { major: 0, minor: 0, build: 0 };

function parseUint(s: string, max: number): number | undefined {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= max ? n : undefined;
}

/** Parses the leading `major.minor.build` of a Windows OS version string. */
function parseWindowsVersion(v: string): WindowsVersion {
  const parts = v.split('.');
  if (parts.length < 3) return EMPTY;
  const major = parseUint(parts[0] ?? '', 0xff);
  const minor = parseUint(parts[1] ?? '', 0xff);
  const build = parseUint(parts[2] ?? '', 0xffff);
  if (major === undefined || minor === undefined || build === undefined) return EMPTY;
  return { major, minor, build };
}

function compatible(host: WindowsVersion, ctr: WindowsVersion): boolean {
  if (host.major !== ctr.major || host.minor !== ctr.minor) return false;
  if (host.build < WS2022_BUILD) return host.build === ctr.build;
  let floor = 0;
  for (let i = STABLE_ABI_LTSC_BUILDS.length - 1; i >= 0; i--) {
    const b = STABLE_ABI_LTSC_BUILDS[i] ?? 0;
    if (host.build >= b) {
      floor = b;
      break;
    }
  }
  return ctr.build >= floor && ctr.build <= host.build;
}

/**
 * Returns a predicate telling whether content with OS version `v` runs on a host whose version is
 * `hostVersion`. An unparseable host version, or an empty candidate version, always matches.
 */
export function windowsVersionMatcher(hostVersion: string): (v: string) => boolean {
  const host = parseWindowsVersion(hostVersion);
  const empty = host.major === 0 && host.minor === 0 && host.build === 0;
  return (v) => empty || v === '' || compatible(host, parseWindowsVersion(v));
}
