/** Image configurations (OCI and Docker), reduced to the fields the OCI image spec defines. */
import type { StringMap } from '../../content/index.js';
import { normalizePlatform, makePlatform, type Platform } from '../../platforms/index.js';
import { asDigest } from './descriptor.js';
import {
  asArray,
  asObject,
  at,
  decodeJson,
  failFor,
  field,
  optionalBoolean,
  optionalString,
  optionalStringMap,
  optionalStrings,
  requiredString,
  subjectOf,
  type DocumentSource,
  type Fail,
  type JsonObject,
} from './json-shape.js';

/** The execution defaults of an image (`config` in the image configuration); field names as in the JSON. */
export interface ExecutionConfig {
  /** `user`, `uid`, `user:group` or `uid:gid`. */
  readonly User?: string;
  /** Ports to expose, as `port/proto` keys. */
  readonly ExposedPorts?: Readonly<Record<string, unknown>>;
  /** `NAME=value` entries. */
  readonly Env?: readonly string[];
  /** Command to run. */
  readonly Entrypoint?: readonly string[];
  /** Arguments (or the command when there is no entrypoint). */
  readonly Cmd?: readonly string[];
  /** Paths to mount volumes on, as keys. */
  readonly Volumes?: Readonly<Record<string, unknown>>;
  /** Working directory. */
  readonly WorkingDir?: string;
  /** Image labels. */
  readonly Labels?: StringMap;
  /** Signal to stop the container with. */
  readonly StopSignal?: string;
  /** Windows: whether Cmd is already escaped. */
  readonly ArgsEscaped?: boolean;
}

/** One entry of the build history. */
export interface HistoryEntry {
  /** RFC 3339 creation time. */
  readonly created?: string;
  /** The command that created the layer. */
  readonly created_by?: string;
  /** Author. */
  readonly author?: string;
  /** Free-form comment. */
  readonly comment?: string;
  /** True when this step produced no layer. */
  readonly empty_layer?: boolean;
}

/** A parsed image configuration, keeping the OCI JSON field names. */
export interface ImageConfig {
  /** RFC 3339 creation time. */
  readonly created?: string;
  /** Author. */
  readonly author?: string;
  /** CPU architecture (`amd64`). */
  readonly architecture: string;
  /** Operating system (`linux`). */
  readonly os: string;
  /** CPU variant. */
  readonly variant?: string;
  /** OS version. */
  readonly 'os.version'?: string;
  /** Required OS features. */
  readonly 'os.features'?: readonly string[];
  /** Execution defaults. */
  readonly config?: ExecutionConfig;
  /** The layers' uncompressed digests, base first. */
  readonly rootfs: { readonly type: string; readonly diff_ids: readonly string[] };
  /** Build history. */
  readonly history?: readonly HistoryEntry[];
}

/** Copies the listed optional fields that are present (JSON null counts as absent). */
function pick<T>(entries: ReadonlyArray<readonly [string, unknown]>): T {
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as T;
}

function readObjectMap(obj: JsonObject, key: string, path: string, fail: Fail): Readonly<Record<string, unknown>> | undefined {
  const v = field(obj, key);
  return v === undefined ? undefined : asObject(v, at(path, key), fail);
}

function readExecutionConfig(value: unknown, fail: Fail): ExecutionConfig {
  const p = 'config';
  const obj = asObject(value, p, fail);
  return pick<ExecutionConfig>([
    ['User', optionalString(obj, 'User', p, fail)],
    ['ExposedPorts', readObjectMap(obj, 'ExposedPorts', p, fail)],
    ['Env', optionalStrings(obj, 'Env', p, fail)],
    ['Entrypoint', optionalStrings(obj, 'Entrypoint', p, fail)],
    ['Cmd', optionalStrings(obj, 'Cmd', p, fail)],
    ['Volumes', readObjectMap(obj, 'Volumes', p, fail)],
    ['WorkingDir', optionalString(obj, 'WorkingDir', p, fail)],
    ['Labels', optionalStringMap(obj, 'Labels', p, fail)],
    ['StopSignal', optionalString(obj, 'StopSignal', p, fail)],
    ['ArgsEscaped', optionalBoolean(obj, 'ArgsEscaped', p, fail)],
  ]);
}

function readHistory(value: unknown, fail: Fail): HistoryEntry[] {
  return asArray(value, 'history', fail).map((entry, i) => {
    const p = at('history', i);
    const obj = asObject(entry, p, fail);
    return pick<HistoryEntry>([
      ['created', optionalString(obj, 'created', p, fail)],
      ['created_by', optionalString(obj, 'created_by', p, fail)],
      ['author', optionalString(obj, 'author', p, fail)],
      ['comment', optionalString(obj, 'comment', p, fail)],
      ['empty_layer', optionalBoolean(obj, 'empty_layer', p, fail)],
    ]);
  });
}

/** The platform fields every configuration carries at its top level. */
function readConfigPlatform(doc: JsonObject, fail: Fail): Platform {
  return makePlatform(
    optionalString(doc, 'os', '', fail) ?? '',
    optionalString(doc, 'architecture', '', fail) ?? '',
    optionalString(doc, 'variant', '', fail) ?? '',
    optionalString(doc, 'os.version', '', fail) ?? '',
    optionalStrings(doc, 'os.features', '', fail) ?? [],
  );
}

/**
 * Parses and checks an image configuration. `rootfs.diff_ids` is required and every entry must be
 * a digest; fields outside the OCI spec (Docker's `container_config` and so on) are dropped.
 * Throws FailedPrecondition naming `source` when the document is malformed.
 */
export function parseConfig(bytes: Uint8Array, source?: DocumentSource): ImageConfig {
  const subject = subjectOf('image config', source);
  const fail = failFor(subject);
  const doc = asObject(decodeJson(bytes, subject), '', fail);
  const platform = readConfigPlatform(doc, fail);
  const rootfsValue = field(doc, 'rootfs');
  if (rootfsValue === undefined) fail('rootfs', 'is required');
  const rootfs = asObject(rootfsValue, 'rootfs', fail);
  const type = requiredString(rootfs, 'type', 'rootfs', fail);
  const diffList = field(rootfs, 'diff_ids');
  const diffIds = diffList === undefined ? fail('rootfs.diff_ids', 'is required') : asArray(diffList, 'rootfs.diff_ids', fail);
  const checked = diffIds.map((d, i) => asDigest(d, at('rootfs.diff_ids', i), fail));
  const config = field(doc, 'config');
  const history = field(doc, 'history');
  return {
    ...pick<Partial<ImageConfig>>([
      ['created', optionalString(doc, 'created', '', fail)],
      ['author', optionalString(doc, 'author', '', fail)],
    ]),
    architecture: platform.architecture,
    os: platform.os,
    ...pick<Partial<ImageConfig>>([
      ['variant', platform.variant],
      ['os.version', platform.osVersion],
      ['os.features', platform.osFeatures],
      ['config', config === undefined ? undefined : readExecutionConfig(config, fail)],
    ]),
    rootfs: { type, diff_ids: checked },
    ...(history === undefined ? {} : { history: readHistory(history, fail) }),
  };
}

/**
 * Reads only the platform fields of a configuration and normalizes them, as containerd does for
 * manifests that an index lists without a platform. Lenient about everything else.
 */
export function parseConfigPlatform(bytes: Uint8Array, source?: DocumentSource): Platform {
  const subject = subjectOf('image config', source);
  const fail = failFor(subject);
  return normalizePlatform(readConfigPlatform(asObject(decodeJson(bytes, subject), '', fail), fail));
}

/** The platform an image configuration declares, as written (not normalized). */
export const configPlatform = (config: ImageConfig): Platform =>
  makePlatform(config.os, config.architecture, config.variant ?? '', config['os.version'] ?? '', config['os.features'] ?? []);
