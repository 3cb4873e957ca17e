/**
 * `imagectl gc`: runs a synchronous garbage collection (a throw-away lease deleted with `sync`) and
 * reports the blobs it freed, from Content.List over every namespace before and after.
 */
import { randomBytes } from 'node:crypto';
import { Content } from '../../../gen/services/content/v1/content_pb.js';
import { Leases } from '../../../gen/services/leases/v1/leases_pb.js';
import { Namespaces } from '../../../gen/services/namespaces/v1/namespace_pb.js';
import { humanSize, renderStructured } from '../format/index.js';
import type { Session } from '../session.js';

/** Every blob of every namespace, by digest, with its size. */
async function allBlobs(session: Session): Promise<Map<string, number>> {
  const blobs = new Map<string, number>();
  const { namespaces } = await session.client(Namespaces).list({});
  for (const { name } of namespaces) {
    for await (const part of session.client(Content).list({}, session.inNamespace(name))) {
      for (const info of part.info) blobs.set(info.digest, Number(info.size));
    }
  }
  return blobs;
}

/** Collects garbage now and prints how many blobs and bytes went. */
export async function gc(session: Session, output: 'table' | 'json' | 'yaml'): Promise<void> {
  const before = await allBlobs(session);
  const leases = session.client(Leases);
  const id = `imagectl-gc-${randomBytes(6).toString('hex')}`;
  await leases.create({ id }, session.inNamespace());
  await leases.delete({ id, sync: true }, session.inNamespace());
  const after = await allBlobs(session);
  const removed = [...before].filter(([digest]) => !after.has(digest));
  const bytes = removed.reduce((sum, [, size]) => sum + size, 0);
  if (output === 'table') session.stdout.write(`removed ${removed.length} blobs, ${humanSize(bytes)} freed\n`);
  else session.stdout.write(renderStructured({ removedBlobs: removed.length, freedBytes: bytes, digests: removed.map(([d]) => d) }, output));
}
