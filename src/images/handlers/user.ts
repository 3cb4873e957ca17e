/** The image user as CRI reports it (`uid` or `username` in ImageService responses). */
import type { ImageConfig } from './parse-config.js';

/** A numeric user, a named user, or none. */
export type ImageUser = { readonly uid: bigint } | { readonly username: string } | Record<string, never>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Splits the config's `User` at the first `:` (dropping the group) and reports a signed 64-bit
 * decimal as `uid`, anything else as `username`; an empty or missing user gives `{}`.
 */
export function userOf(config: Pick<ImageConfig, 'config'> | undefined): ImageUser {
  const user = (config?.config?.User ?? '').split(':')[0] ?? '';
  if (user === '') return {};
  if (/^[+-]?\d+$/.test(user)) {
    const uid = BigInt(user);
    if (uid >= INT64_MIN && uid <= INT64_MAX) return { uid };
  }
  return { username: user };
}
