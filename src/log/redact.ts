/** Which log fields never reach a log line: credentials, wherever they sit in a logged object. */

/** Field names whose values are replaced by {@link REDACTED} (any spelling a header, proto field or config uses). */
export const SECRET_FIELDS: readonly string[] = [
  'authorization',
  'Authorization',
  'proxy-authorization',
  'password',
  'auth',
  'authConfig',
  'auth_config',
  'identity_token',
  'identityToken',
  'registry_token',
  'registryToken',
  'token',
  'access_token',
  'refresh_token',
  'credentials',
  'secret',
];

/** What a redacted value becomes. */
export const REDACTED = '[redacted]';

/** How deep below the top-level fields a secret is still found (`headers.authorization` is depth 1). */
const DEPTH = 3;

/** pino `redact` paths for every secret field name at the top level and up to {@link DEPTH} objects down. */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (let depth = 0; depth <= DEPTH; depth++) {
    const prefix = '*.'.repeat(depth);
    for (const name of SECRET_FIELDS) paths.push(`${prefix}${/^[A-Za-z_]\w*$/.test(name) ? name : `["${name}"]`}`);
  }
  return paths;
}
