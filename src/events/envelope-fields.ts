/** The fields of an envelope that containerd's filter language can test. */
import type { Adaptor } from '../filters/index.js';
import type { Envelope } from './envelope.js';

/** Looks up `path` in nested plain objects; a remaining path may also name a dotted key (map keys). */
function lookup(value: unknown, path: readonly string[]): string | undefined {
  if (path.length === 0) {
    if (typeof value === 'string') return value === '' ? undefined : value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  const joined = path.join('.');
  if (path.length > 1 && typeof record[joined] === 'string') return record[joined] as string;
  const [head, ...rest] = path;
  return head !== undefined && Object.hasOwn(record, head) ? lookup(record[head], rest) : undefined;
}

/** Exposes `namespace`, `topic` and `event.<field path>` of a decoded event. */
export function envelopeFields(envelope: Envelope): Adaptor {
  return {
    field(path) {
      const [head, ...rest] = path;
      if (head === 'namespace') return rest.length === 0 ? envelope.namespace : undefined;
      if (head === 'topic') return rest.length === 0 ? envelope.topic : undefined;
      if (head === 'event') return lookup(envelope.event.fields, rest);
      return undefined;
    },
  };
}
