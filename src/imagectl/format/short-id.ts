/** Image IDs as crictl shows them: the hex of a digest, cut to 13 characters. */

/** The first 13 hex characters of `digest` (`sha256:` dropped), as crictl's IMAGE ID column. */
export function shortId(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1).slice(0, 13);
}
