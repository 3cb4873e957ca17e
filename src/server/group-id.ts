/** Resolving a group given by name or number to its numeric ID (Node has no getgrnam). */
import { readFileSync } from 'node:fs';
import { invalidArgument } from '../errdefs/index.js';

/** Largest group ID POSIX systems hand out (2^32 - 2; 2^32 - 1 means "no change" to chown). */
const MAX_GID = 4_294_967_294;

/** The GID of `group`: a decimal number as is, a name looked up in `groupFile` (default /etc/group). */
export function resolveGroupId(group: string, groupFile = '/etc/group'): number {
  if (/^\d+$/.test(group)) {
    const gid = Number(group);
    if (gid > MAX_GID) throw invalidArgument(`socket group ${group}: a group ID must be at most ${MAX_GID}`);
    return gid;
  }
  let text: string;
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch (err) {
    throw invalidArgument(`socket group ${JSON.stringify(group)}: cannot read ${groupFile} to look it up: ${(err as Error).message}`, err);
  }
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === group && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  throw invalidArgument(`socket group ${JSON.stringify(group)}: no such group in ${groupFile}`);
}
