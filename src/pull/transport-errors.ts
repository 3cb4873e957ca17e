/** Turning Node's network and TLS errors into ImagedErrors that name the host and say what to do. */
import { ImagedError } from '../errdefs/index.js';

/** Certificate problems a CA entry or `skip_verify` in hosts.toml can fix. */
const CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The Node error code of `err` or of its cause, if any. */
export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Reports whether a TLS handshake failed because the server answered in plain HTTP. */
export function isPlainHttpAnswer(err: unknown): boolean {
  const code = errorCode(err);
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST') return true;
  const message = String((err as { cause?: { message?: unknown } }).cause?.message ?? (err as { message?: unknown }).message ?? '');
  return /wrong version number|packet length too long|http request/i.test(message);
}

/** An ImagedError for a request to `url` that got no HTTP response; `err` is kept as the cause. */
export function connectionError(err: Error, url: URL): ImagedError {
  const host = url.host;
  const code = errorCode(err);
  if (err.name === 'AbortError' || code === 'ABORT_ERR') return new ImagedError('Canceled', `request to ${host} was canceled`, err);
  switch (code) {
    case 'ECONNREFUSED':
      return new ImagedError('Unavailable', `cannot connect to registry ${host}: connection refused (is the registry running at that address?)`, err);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new ImagedError('Unavailable', `cannot resolve registry host ${url.hostname}: DNS lookup failed (${code})`, err);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
      return new ImagedError('Unavailable', `cannot reach registry ${host}: ${code}`, err);
    case 'ECONNRESET':
    case 'EPIPE':
      return new ImagedError('Unavailable', `connection to registry ${host} was reset`, err);
    default:
  }
  if (code !== undefined && CERT_CODES.has(code)) {
    return new ImagedError(
      'Unavailable',
      `TLS certificate of ${host} is not trusted (${code}): add its CA with "ca" in the host's hosts.toml, or set skip_verify = true`,
      err,
    );
  }
  if (isPlainHttpAnswer(err)) {
    return new ImagedError('Unavailable', `${host} does not speak TLS: use an "http://" URL for it in hosts.toml`, err);
  }
  return new ImagedError('Unavailable', `request to registry ${host} failed: ${code ?? err.message}`, err);
}
