/** The one place where imaged's error kinds become gRPC status codes. */
import { status as Code, type ServiceError, Metadata } from '@grpc/grpc-js';
import { ImagedError, type ErrorKind } from '../errdefs/index.js';

const CODE_OF: Readonly<Record<ErrorKind, Code>> = {
  InvalidArgument: Code.INVALID_ARGUMENT,
  NotFound: Code.NOT_FOUND,
  AlreadyExists: Code.ALREADY_EXISTS,
  FailedPrecondition: Code.FAILED_PRECONDITION,
  Unavailable: Code.UNAVAILABLE,
  OutOfRange: Code.OUT_OF_RANGE,
  ResourceExhausted: Code.RESOURCE_EXHAUSTED,
  Aborted: Code.ABORTED,
  Unimplemented: Code.UNIMPLEMENTED,
  Canceled: Code.CANCELLED,
  DeadlineExceeded: Code.DEADLINE_EXCEEDED,
  PermissionDenied: Code.PERMISSION_DENIED,
  Internal: Code.INTERNAL,
};

/** Converts any thrown value into a gRPC service error; unexpected errors become UNKNOWN with their message. */
export function toServiceError(err: unknown): Partial<ServiceError> {
  if (err instanceof ImagedError) return { code: CODE_OF[err.kind], details: err.message, metadata: new Metadata() };
  const message = err instanceof Error ? err.message : String(err);
  return { code: Code.UNKNOWN, details: message, metadata: new Metadata() };
}

/** Reports whether `err` is one the server did not expect (worth logging with its stack). */
export const isUnexpected = (err: unknown): boolean => !(err instanceof ImagedError);
