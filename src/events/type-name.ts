/** Type URLs of event payloads. */

/** The message name of an Any type URL (`type.googleapis.com/x.Y` and bare `x.Y` both give `x.Y`). */
export const typeNameOf = (typeUrl: string): string => typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
