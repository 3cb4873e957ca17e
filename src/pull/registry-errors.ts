/** Reading a registry's error answer (`{"errors":[{"code","message"}]}`) and choosing the error kind for a status. */
import { ImagedError, type ErrorKind } from '../errdefs/index.js';
import { readLimited, type HttpResponse } from './http-transport.js';

/** Largest error body read for its message. */
const MAX_ERROR_BODY = 64 * 1024;
/** Longest registry message quoted in an error. */
const MAX_MESSAGE = 300;

/** The registry's own words from an error body: `errors[].message` (or `code`, or an OAuth `error_description`). */
export function registryMessage(body: Uint8Array): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const d = doc as { errors?: unknown; error?: unknown; error_description?: unknown; details?: unknown };
  const parts: string[] = [];
  if (Array.isArray(d.errors)) {
    for (const e of d.errors as unknown[]) {
      if (typeof e !== 'object' || e === null) continue;
      const { message, code } = e as { message?: unknown; code?: unknown };
      const text = typeof message === 'string' && message !== '' ? message : typeof code === 'string' ? code.toLowerCase().replace(/_/g, ' ') : undefined;
      if (text !== undefined) parts.push(text);
    }
  } else if (typeof d.error_description === 'string') parts.push(d.error_description);
  else if (typeof d.error === 'string') parts.push(d.error);
  if (parts.length === 0) return undefined;
  const text = [...new Set(parts)].join('; ').replace(/\s+/g, ' ');
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}

/** Reads what the registry said in an error response (best effort; never throws). */
export async function readRegistryMessage(res: HttpResponse): Promise<string | undefined> {
  try {
    return registryMessage((await readLimited(res, MAX_ERROR_BODY)).bytes);
  } catch {
    return undefined;
  }
}

/** The error kind for an HTTP error status from a registry. */
export function statusKind(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'PermissionDenied';
  if (status === 404) return 'NotFound';
  if (status === 400) return 'InvalidArgument';
  if (status === 416) return 'OutOfRange';
  return 'Unavailable';
}

/** Builds the error for an HTTP error `status`; `what` says what was asked for and `message` is the registry's words. */
export function statusError(status: number, what: string, host: string, message: string | undefined): ImagedError {
  const said = message === undefined ? '' : `: ${message}`;
  switch (statusKind(status)) {
    case 'PermissionDenied':
      return new ImagedError(
        'PermissionDenied',
        `${host} denied access to ${what} (HTTP ${status})${said}: check the pull credentials and that the repository exists`,
      );
    case 'NotFound':
      return new ImagedError('NotFound', `${what} not found on ${host}${said}`);
    default:
      if (status === 429) return new ImagedError('Unavailable', `${host} is rate limiting requests for ${what} (HTTP 429)${said}; try again later`);
      return new ImagedError(statusKind(status), `${host} answered HTTP ${status} for ${what}${said}`);
  }
}
