/** What the content store holds, counted once per blob however many namespaces see it. */
import type { Info } from '../content/index.js';
import type { Table } from '../metadata/index.js';

/** Bytes and number of distinct blobs recorded in `table` (an in-memory scan, no disk access). */
export function contentUsage(table: Table<Info>): { bytes: number; blobs: number } {
  const sizes = new Map<string, number>();
  for (const ns of table.namespaces()) for (const info of table.values(ns)) sizes.set(info.digest, info.size);
  let bytes = 0;
  for (const size of sizes.values()) bytes += size;
  return { bytes, blobs: sizes.size };
}
