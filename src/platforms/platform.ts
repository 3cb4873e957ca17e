/** The platform record: which operating system and CPU a piece of content is built for. */

/**
 * An OCI platform. Optional fields are absent rather than empty; {@link normalizePlatform} and the
 * parsers never produce empty strings or empty feature lists.
 */
export interface Platform {
  /** Operating system in Go's `GOOS` spelling (`linux`, `windows`, `darwin`). */
  readonly os: string;
  /** CPU architecture in Go's `GOARCH` spelling (`amd64`, `arm64`, `arm`). */
  readonly architecture: string;
  /** CPU variant (`v7` for 32-bit ARM, `v8.2` for arm64, `v3` for amd64). */
  readonly variant?: string;
  /** Operating system version (the OCI `os.version` field, mostly used on Windows). */
  readonly osVersion?: string;
  /** Required operating system features (the OCI `os.features` field). */
  readonly osFeatures?: readonly string[];
}

/** Builds a platform, leaving out empty optional fields so equal platforms compare equal. */
export function makePlatform(
  os: string,
  architecture: string,
  variant = '',
  osVersion = '',
  osFeatures: readonly string[] = [],
): Platform {
  return {
    os,
    architecture,
    ...(variant === '' ? {} : { variant }),
    ...(osVersion === '' ? {} : { osVersion }),
    ...(osFeatures.length === 0 ? {} : { osFeatures }),
  };
}
