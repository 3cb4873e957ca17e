/**
 * Validation of the names containerd calls identifiers (namespaces, lease IDs) and of label maps.
 */
import { invalidArgument } from '../errdefs/index.js';

/** Longest identifier containerd accepts. */
export const MAX_IDENTIFIER_LENGTH = 76;
/** Largest combined size of a label's key and value, in bytes. */
export const MAX_LABEL_SIZE = 4096;

const IDENTIFIER = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;

/** Checks an identifier such as a namespace or lease ID; `what` names it in the error. */
export function validateIdentifier(id: string, what: string): void {
  if (id === '') throw invalidArgument(`${what} must not be empty`);
  if (id.length > MAX_IDENTIFIER_LENGTH) {
    throw invalidArgument(`${what} ${JSON.stringify(id)} is longer than ${MAX_IDENTIFIER_LENGTH} characters`);
  }
  if (!IDENTIFIER.test(id)) {
    throw invalidArgument(
      `${what} ${JSON.stringify(id)} must be letters and digits separated by single ".", "_" or "-"`,
    );
  }
}

/** Checks every label: non-empty key, and key plus value no larger than {@link MAX_LABEL_SIZE} bytes. */
export function validateLabels(labels: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(labels)) validateLabel(key, value);
}

/** Checks one label as {@link validateLabels} does. */
export function validateLabel(key: string, value: string): void {
  if (key === '') throw invalidArgument('label key must not be empty');
  const size = Buffer.byteLength(key) + Buffer.byteLength(value);
  if (size > MAX_LABEL_SIZE) {
    throw invalidArgument(
      `label ${JSON.stringify(key.slice(0, 64))}: key and value are ${size} bytes, more than the ${MAX_LABEL_SIZE} allowed`,
    );
  }
}
