/**
 * Which pulled references are pinned: configured references match in any spelling (`busybox` is
 * `docker.io/library/busybox:latest`); patterns with `*` match the normalized reference, each `*`
 * standing for any run of characters other than `/`.
 */
import { parseReference } from '../pull/index.js';

/** Tells whether a normalized reference is pinned. */
export type PinnedMatcher = (normalizedReference: string) => boolean;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A matcher for the configured references and patterns. */
export function pinnedMatcher(entries: readonly string[]): PinnedMatcher {
  const exact = new Set(entries.filter((entry) => !entry.includes('*')).map((entry) => parseReference(entry).name));
  const patterns = entries
    .filter((entry) => entry.includes('*'))
    .map((entry) => new RegExp(`^${entry.split('*').map(escapeRegExp).join('[^/]*')}$`));
  return (reference) => exact.has(reference) || patterns.some((pattern) => pattern.test(reference));
}
