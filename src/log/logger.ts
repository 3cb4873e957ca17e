/** Structured logs through pino: JSON lines (or our text format) written synchronously to stderr. */
import pino from 'pino';
import { redactSecrets } from './redact.js';
import { formatTextLine } from './text-format.js';

/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** The severities, least severe first. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
/** How lines are written: JSON, text, or text when stderr is a terminal and JSON otherwise. */
export type LogFormat = 'json' | 'text' | 'auto';
/** The formats, as the `--log-format` flag accepts them. */
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'text', 'auto'];
/** Extra fields of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Writes structured log lines. */
export interface Logger {
  /** Logs `msg` at `level` with extra fields (an `err` field is serialized with its stack). */
  log(level: LogLevel, msg: string, fields?: LogFields): void;
  /** Whether lines at `level` are written (to skip building fields that would be dropped). */
  enabled(level: LogLevel): boolean;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogFields): Logger;
}

/** Where and how a logger writes. */
export interface LoggerOptions {
  /** Lines below this level are dropped (default `info`). */
  readonly level?: LogLevel;
  /** Line format (default `auto`). */
  readonly format?: LogFormat;
  /** Where lines go (default: stderr, synchronously). */
  readonly destination?: { write(line: string): void };
  /** Whether the destination is a terminal, for `auto` (default: whether stderr is). */
  readonly isTty?: boolean;
}

const wrap = (p: pino.Logger): Logger => ({
  log: (level, msg, fields) => (fields === undefined ? p[level](msg) : p[level](fields, msg)),
  enabled: (level) => p.isLevelEnabled(level),
  child: (bindings) => wrap(p.child(bindings)),
});

/** Creates a logger; credentials in fields (see SECRET_FIELDS), at any depth, are redacted. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  const text = (options.format ?? 'auto') === 'auto' ? (options.isTty ?? process.stderr.isTTY === true) : options.format === 'text';
  return wrap(
    pino(
      {
        level: options.level ?? 'info',
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }), log: redactSecrets },
      },
      text ? { write: (line: string) => destination.write(formatTextLine(line)) } : destination,
    ),
  );
}
