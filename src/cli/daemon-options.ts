/**
 * The `imaged` command line: `imaged [flags]` runs the daemon, `imaged config default` prints the
 * documented default configuration file, `imaged config dump [flags]` the configuration in effect.
 * Every setting's flag comes from the settings table in src/config.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  DEFAULT_CONFIG_FILE,
  SETTINGS,
  readConfigFile,
  resolveConfig,
  type ImagedConfig,
  type Setting,
  type SettingName,
} from '../config/index.js';
import { invalidArgument } from '../errdefs/index.js';

/** What the command line asks for. */
export type DaemonCommand =
  | { readonly kind: 'run'; readonly config: ImagedConfig; readonly configFile: string | undefined }
  | { readonly kind: 'config-default'; readonly config: ImagedConfig }
  | { readonly kind: 'config-dump'; readonly config: ImagedConfig }
  | { readonly kind: 'help' }
  | { readonly kind: 'version' };

const settings = (): [SettingName, Setting<unknown>][] => Object.entries(SETTINGS) as [SettingName, Setting<unknown>][];

const FLAG_OPTIONS: ParseArgsConfig['options'] = {
  ...Object.fromEntries(
    settings().map(([, s]) => [
      s.flag,
      { type: 'string' as const, ...(s.short ? { short: s.short } : {}), ...(s.type.repeatable ? { multiple: true } : {}) },
    ]),
  ),
  config: { type: 'string', short: 'c' },
  version: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const flagLine = (s: Setting<unknown>): string => {
  const name = `${s.short ? `-${s.short}, ` : ''}--${s.flag} ${s.type.repeatable ? 'VALUE (repeatable)' : 'VALUE'}`;
  return `  ${name}\n      ${s.doc}; file key ${s.key}; ${s.type.expected}`;
};

/** Usage text of the daemon. */
export const USAGE = `Usage: imaged [flags]            run the daemon
       imaged config default     print the default configuration file
       imaged config dump [flags] print the configuration in effect

Flags override the configuration file; the file overrides the defaults (see \`imaged config default\`).
  -c, --config FILE
      configuration file (default ${DEFAULT_CONFIG_FILE}; ignored when that default is missing)
${settings()
  .map(([, s]) => flagLine(s))
  .join('\n')}
  --version
      print the version and exit
  -h, --help
      print this help and exit
`;

/** Parses daemon arguments and loads the configuration; InvalidArgument names the bad flag, file or key. */
export function parseDaemonCommand(args: readonly string[]): DaemonCommand {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options: FLAG_OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    throw invalidArgument(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { positionals } = parsed;
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const command = positionals.join(' ');
  if (command === 'config default') return { kind: 'config-default', config: resolveConfig({}, undefined, '') };
  if (command !== '' && command !== 'config dump') throw invalidArgument(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
  const explicit = typeof values.config === 'string';
  const configFile = explicit ? values.config as string : DEFAULT_CONFIG_FILE;
  const table = readConfigFile(configFile, explicit);
  const config = resolveConfig(values, table, configFile);
  if (command === 'config dump') return { kind: 'config-dump', config };
  return { kind: 'run', config, configFile: table === undefined ? undefined : configFile };
}
