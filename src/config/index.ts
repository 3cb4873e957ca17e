export type { Setting, SettingName, ImagedConfig } from './settings.js';
export { SETTINGS, DEFAULT_CONFIG_FILE, DEFAULT_SANDBOX_IMAGE } from './settings.js';
export { DEFAULT_CRI_NAMESPACE, defaultRoot, defaultSocket } from './default-paths.js';
export type { FlagValues } from './resolve-config.js';
export { CONFIG_VERSION, readConfigFile, resolveConfig } from './resolve-config.js';
export { renderConfig } from './render-config.js';
export type { ValueType } from './value-types.js';
export { INVALID } from './value-types.js';
