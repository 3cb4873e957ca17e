/**
 * The `(version+feature+feature)` part of a platform specifier's OS component. Values are
 * percent-encoded so that `+`, `(`, `)`, `/` and `%` inside them survive a round trip.
 */
import { invalidArgument } from '../errdefs/index.js';

const PLAIN = /^[A-Za-z0-9_.-]$/;

/** Percent-encodes every character of an OS version or feature that the specifier syntax does not allow verbatim. */
export function encodeOsOption(value: string): string {
  let out = '';
  for (const ch of value) {
    if (PLAIN.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Decodes a percent-encoded OS version or feature; InvalidArgument naming `what` when the escapes are malformed. */
export function decodeOsOption(value: string, what: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch (err) {
    throw invalidArgument(
      `${what} ${JSON.stringify(value)} has a malformed percent escape: use %XX with two hex digits encoding UTF-8`,
      err,
    );
  }
}
