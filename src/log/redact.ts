/** Which log fields never reach a log line: credentials, wherever they sit in a logged object. */

/** Names of fields whose values are replaced by {@link REDACTED}, compared ignoring case, `-` and `_`. */
export const SECRET_FIELDS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'password',
  'auth',
  'auth_config',
  'identity_token',
  'registry_token',
  'token',
  'access_token',
  'refresh_token',
  'credentials',
  'secret',
];

/** What a redacted value becomes. */
export const REDACTED = '[redacted]';

const normalized = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');
const SECRETS = new Set(SECRET_FIELDS.map(normalized));

/** Field names already judged; log lines reuse a few names, so this stays small (and is capped). */
const judged = new Map<string, boolean>();
const MAX_JUDGED = 4096;

/** Reports whether a field called `name` holds a secret (`Authorization`, `identityToken`, `registry_token`, …). */
function isSecretField(name: string): boolean {
  let secret = judged.get(name);
  if (secret === undefined) {
    secret = SECRETS.has(normalized(name));
    if (judged.size < MAX_JUDGED) judged.set(name, secret);
  }
  return secret;
}

/** Plain objects and arrays are searched; anything else (errors, buffers, dates) is left to the serializers. */
const isPlain = (value: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Array.isArray(value);
};

/** How deep nested objects are searched; deeper ones are replaced whole (and cycles end there). */
const MAX_DEPTH = 16;

/**
 * `fields` with every secret field's value replaced by {@link REDACTED}, at any depth. Returns
 * `fields` itself when it holds no secret, so the usual flat log fields cost a key scan and no copy.
 */
export function redactSecrets<T>(fields: T, depth = 0): T {
  if (fields === null || typeof fields !== 'object' || !isPlain(fields)) return fields;
  if (depth >= MAX_DEPTH) return REDACTED as T;
  let copy: Record<string, unknown> | unknown[] | undefined;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    const value: unknown = (fields as Record<string, unknown>)[key];
    const replaced = isSecretField(key) ? REDACTED : redactSecrets(value, depth + 1);
    if (replaced === value) continue;
    copy ??= Array.isArray(fields) ? [...(fields as unknown[])] : { ...(fields as Record<string, unknown>) };
    // Defined, not assigned: a field named `__proto__` stays a field.
    Object.defineProperty(copy, key, { value: replaced, enumerable: true, writable: true, configurable: true });
  }
  return (copy ?? fields) as T;
}
