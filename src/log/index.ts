export type { LogLevel, LogFormat, LogFields, Logger, LoggerOptions } from './logger.js';
export { LOG_LEVELS, LOG_FORMATS, createLogger } from './logger.js';
export { SECRET_FIELDS, REDACTED, redactSecrets } from './redact.js';
export { formatTextLine } from './text-format.js';
