/** imaged's own package.json, found from this module's location (works from dist/ and from the bundle). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fields of package.json imaged reports. */
export interface PackageInfo {
  /** Package name. */
  readonly name: string;
  /** Release version. */
  readonly version: string;
}

/** Reads the nearest package.json above `moduleUrl`. */
export function readPackageInfo(moduleUrl: string): PackageInfo {
  for (let dir = dirname(fileURLToPath(moduleUrl)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8')) as PackageInfo;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${moduleUrl}`);
  }
}
