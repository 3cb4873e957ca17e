/** containerd.services.version.v1.Version: reports imaged's own version. */
import { Version } from '../../gen/services/version/v1/version_pb.js';
import type { ServiceImpl } from './adapter.js';

/** What Version answers. */
export interface BuildInfo {
  /** Release version, e.g. `0.1.0`. */
  readonly version: string;
  /** Source revision or a build identifier. */
  readonly revision: string;
}

/** Implements the Version service. */
export function createVersionService(build: BuildInfo): ServiceImpl<(typeof Version)['method']> {
  return {
    async version() {
      return { version: build.version, revision: build.revision };
    },
  };
}
