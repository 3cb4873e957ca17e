/**
 * Error kinds shared by every layer below the gRPC edge. Stores and parsers throw
 * {@link ImagedError}; only `src/server` turns a kind into a gRPC status code.
 */

/** The kinds of failure imaged distinguishes; names follow the gRPC codes they map to. */
export type ErrorKind =
  | 'InvalidArgument'
  | 'NotFound'
  | 'AlreadyExists'
  | 'FailedPrecondition'
  | 'Unavailable'
  | 'OutOfRange'
  | 'ResourceExhausted'
  | 'Aborted'
  | 'Unimplemented'
  | 'Canceled'
  | 'DeadlineExceeded'
  | 'PermissionDenied'
  | 'Internal';

/** An error with a kind and a message a person can act on. */
export class ImagedError extends Error {
  /** What went wrong, independent of transport. */
  readonly kind: ErrorKind;

  /** Creates an error of `kind`; `cause` keeps the underlying error for logs. */
  constructor(kind: ErrorKind, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.kind = kind;
    this.name = `ImagedError(${kind})`;
  }
}

/** Creates an InvalidArgument error. */
export const invalidArgument = (message: string, cause?: unknown): ImagedError =>
  new ImagedError('InvalidArgument', message, cause);
/** Creates a NotFound error. */
export const notFound = (message: string): ImagedError => new ImagedError('NotFound', message);
/** Creates an AlreadyExists error. */
export const alreadyExists = (message: string): ImagedError => new ImagedError('AlreadyExists', message);
/** Creates a FailedPrecondition error. */
export const failedPrecondition = (message: string, cause?: unknown): ImagedError =>
  new ImagedError('FailedPrecondition', message, cause);
/** Creates an Unavailable error. */
export const unavailable = (message: string, cause?: unknown): ImagedError =>
  new ImagedError('Unavailable', message, cause);
/** Creates an OutOfRange error. */
export const outOfRange = (message: string): ImagedError => new ImagedError('OutOfRange', message);

/** Reports whether `err` is an {@link ImagedError} of the given kind. */
export function isKind(err: unknown, kind: ErrorKind): err is ImagedError {
  return err instanceof ImagedError && err.kind === kind;
}

/** Reports whether `err` is a NotFound {@link ImagedError}. */
export const isNotFound = (err: unknown): err is ImagedError => isKind(err, 'NotFound');
