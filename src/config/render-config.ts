/** Writes a configuration as a commented TOML file (`imaged config default` and `imaged config dump`). */
import { CONFIG_VERSION } from './resolve-config.js';
import { SETTINGS, type ImagedConfig, type Setting, type SettingName } from './settings.js';

/** TOML text for `config`, each key preceded by its documentation and grouped by table. */
export function renderConfig(config: ImagedConfig): string {
  const tables = new Map<string, string[]>();
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const setting = SETTINGS[name] as Setting<unknown>;
    const dot = setting.key.lastIndexOf('.');
    const table = setting.key.slice(0, Math.max(dot, 0));
    const lines = tables.get(table) ?? [];
    lines.push(`# ${setting.doc} (flag --${setting.flag})`, `${setting.key.slice(dot + 1)} = ${setting.type.toToml(config[name])}`);
    tables.set(table, lines);
  }
  const sections = [...tables].map(([table, lines]) => (table === '' ? lines : [`[${table}]`, ...lines]).join('\n'));
  return `# imaged configuration (imaged --config FILE; flags override these values)\nversion = ${CONFIG_VERSION}\n\n${sections.join('\n\n')}\n`;
}
