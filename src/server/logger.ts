/** A minimal structured logger: one JSON object per line on stderr. */

/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes structured log lines. */
export interface Logger {
  /** Logs `msg` at `level` with extra fields. */
  log(level: LogLevel, msg: string, fields?: Readonly<Record<string, unknown>>): void;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Creates a logger that drops lines below `minimum`. */
export function createLogger(minimum: LogLevel = 'info', write = (line: string) => process.stderr.write(line)): Logger {
  return {
    log(level, msg, fields = {}) {
      if (RANK[level] < RANK[minimum]) return;
      const extra = Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, v instanceof Error ? { message: v.message, stack: v.stack } : v]),
      );
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra })}\n`);
    },
  };
}
