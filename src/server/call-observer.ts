/**
 * What happens at the end of every RPC: one log line (request ID, method, namespace, duration,
 * status) at a level chosen by the status, and the RPC metrics when they are enabled.
 */
import { randomUUID } from 'node:crypto';
import { status as Code } from '@grpc/grpc-js';
import type { Logger, LogLevel } from '../log/index.js';
import type { ImagedMetrics } from '../metrics/index.js';
import type { CallObserver } from './adapter.js';
import { NAMESPACE_HEADER } from './call-metadata.js';
import { isUnexpected } from './status.js';

/** Metadata key of a caller-chosen request ID, echoed in the call's log line. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** A request ID we log as given: short, printable ASCII without spaces. */
const USABLE_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The level of a call's line: successes and routine answers (not found, already exists, cancelled)
 * at debug; the caller's mistakes at info; the server's or the registry's trouble at warn; faults at error.
 */
export function levelOf(code: Code): LogLevel {
  switch (code) {
    case Code.OK:
    case Code.NOT_FOUND:
    case Code.ALREADY_EXISTS:
    case Code.CANCELLED:
      return 'debug';
    case Code.INVALID_ARGUMENT:
    case Code.FAILED_PRECONDITION:
    case Code.OUT_OF_RANGE:
    case Code.ABORTED:
    case Code.PERMISSION_DENIED:
    case Code.UNAUTHENTICATED:
      return 'info';
    case Code.UNAVAILABLE:
    case Code.DEADLINE_EXCEEDED:
    case Code.RESOURCE_EXHAUSTED:
    case Code.UNIMPLEMENTED:
      return 'warn';
    default:
      return 'error';
  }
}

const firstString = (values: readonly unknown[]): string | undefined => (typeof values[0] === 'string' ? values[0] : undefined);

/** Logs every call to `logger` and, when given, counts it in `metrics`. */
export function createCallObserver(logger: Logger, metrics?: Pick<ImagedMetrics, 'rpc'>): CallObserver {
  return ({ path, service, method, metadata, code, durationMs, error }) => {
    const codeName = Code[code] ?? String(code);
    metrics?.rpc(service, method, codeName, durationMs / 1000);
    const level = levelOf(code);
    if (!logger.enabled(level)) return;
    const given = firstString(metadata.get(REQUEST_ID_HEADER));
    logger.log(level, error === undefined ? 'rpc' : 'rpc failed', {
      requestId: given !== undefined && USABLE_REQUEST_ID.test(given) ? given : randomUUID(),
      method: path,
      namespace: firstString(metadata.get(NAMESPACE_HEADER)),
      durationMs: Math.round(durationMs * 1000) / 1000,
      code: codeName,
      ...(error === undefined ? {} : isUnexpected(error) ? { err: error } : { error: (error as Error).message }),
    });
  };
}
