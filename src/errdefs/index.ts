export type { ErrorKind } from './errors.js';
export {
  ImagedError,
  invalidArgument,
  notFound,
  alreadyExists,
  failedPrecondition,
  unavailable,
  outOfRange,
  isKind,
  isNotFound,
} from './errors.js';
export { diskFull, diskFullError, isDiskFull } from './disk-full.js';
