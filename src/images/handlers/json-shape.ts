/**
 * Decoding JSON documents and checking their shape field by field, so that a malformed document
 * fails with FailedPrecondition naming the document, the field path and what is wrong.
 */
import type { StringMap } from '../../content/index.js';
import { failedPrecondition, ImagedError } from '../../errdefs/index.js';

/** Throws FailedPrecondition for the field at `path` of the document being checked. */
export type Fail = (path: string, problem: string) => never;

/** A JSON object as `JSON.parse` returns it. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** The document a parser is reading, for messages: its kind and, when known, digest and media type. */
export interface DocumentSource {
  /** Digest of the blob. */
  readonly digest: string;
  /** Media type the referring descriptor claims. */
  readonly mediaType?: string;
}

/** `index sha256:…` or `index document`, for messages. */
export const subjectOf = (kind: string, source: DocumentSource | undefined): string =>
  source === undefined ? `${kind} document` : `${kind} ${source.digest}`;

/** Builds the {@link Fail} function for one document. */
export function failFor(subject: string): Fail {
  return (path, problem) => {
    throw failedPrecondition(`${subject} is malformed: ${path === '' ? '' : `${path}: `}${problem}`);
  };
}

/** A short rendering of a JSON value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes `bytes` as UTF-8 JSON; FailedPrecondition naming `subject` when it is not. */
export function decodeJson(bytes: Uint8Array, subject: string): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (err) {
    throw failedPrecondition(`${subject} is not valid UTF-8 text`, err);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (err instanceof ImagedError) throw err;
    throw failedPrecondition(`${subject} is not valid JSON: ${(err as Error).message}`, err);
  }
}

/** `value` as an object, or a failure. */
export function asObject(value: unknown, path: string, fail: Fail): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(path, `expected a JSON object, got ${show(value)}`);
  }
  return value as JsonObject;
}

/** `value` as an array, or a failure. */
export function asArray(value: unknown, path: string, fail: Fail): readonly unknown[] {
  if (!Array.isArray(value)) return fail(path, `expected a JSON array, got ${show(value)}`);
  return value;
}

/** Joins a field path: `layers[2]` + `size` → `layers[2].size`. */
export const at = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/** Own-property lookup that treats JSON `null` like an absent field, as Go's decoder does. */
export function field(obj: JsonObject, key: string): unknown {
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  const v = obj[key];
  return v === null ? undefined : v;
}

/** Reports whether `obj` has `key` at all (even as `null`). */
export const hasKey = (obj: JsonObject, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/** An optional string field. */
export function optionalString(obj: JsonObject, key: string, path: string, fail: Fail): string | undefined {
  const v = field(obj, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return fail(at(path, key), `expected a string, got ${show(v)}`);
  return v;
}

/** A required string field. */
export function requiredString(obj: JsonObject, key: string, path: string, fail: Fail): string {
  const v = optionalString(obj, key, path, fail);
  return v ?? fail(at(path, key), 'is required');
}

/** An optional integer field. */
export function optionalInteger(obj: JsonObject, key: string, path: string, fail: Fail): number | undefined {
  const v = field(obj, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return fail(at(path, key), `expected an integer, got ${show(v)}`);
  return v;
}

/** An optional boolean field. */
export function optionalBoolean(obj: JsonObject, key: string, path: string, fail: Fail): boolean | undefined {
  const v = field(obj, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') return fail(at(path, key), `expected true or false, got ${show(v)}`);
  return v;
}

/** An optional array-of-strings field. */
export function optionalStrings(obj: JsonObject, key: string, path: string, fail: Fail): readonly string[] | undefined {
  const v = field(obj, key);
  if (v === undefined) return undefined;
  const arr = asArray(v, at(path, key), fail);
  return arr.map((s, i) => (typeof s === 'string' ? s : fail(at(at(path, key), i), `expected a string, got ${show(s)}`)));
}

/** An optional string-to-string map field (annotations, labels). */
export function optionalStringMap(obj: JsonObject, key: string, path: string, fail: Fail): StringMap | undefined {
  const v = field(obj, key);
  if (v === undefined) return undefined;
  const o = asObject(v, at(path, key), fail);
  const entries = Object.entries(o).map(([k, s]): [string, string] =>
    typeof s === 'string' ? [k, s] : fail(at(at(path, key), k), `expected a string, got ${show(s)}`),
  );
  return Object.fromEntries(entries);
}
