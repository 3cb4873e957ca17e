/**
 * `imagectl info`: the daemon's version and data directories (Introspection plugin exports) and,
 * for the `-n` namespace, how many images, blobs and leases it holds and the blobs' total size.
 */
import { Content } from '../../../gen/services/content/v1/content_pb.js';
import { Images } from '../../../gen/services/images/v1/images_pb.js';
import { Introspection } from '../../../gen/services/introspection/v1/introspection_pb.js';
import { Leases } from '../../../gen/services/leases/v1/leases_pb.js';
import { Version } from '../../../gen/services/version/v1/version_pb.js';
import { humanSize, renderStructured, renderTable } from '../format/index.js';
import type { Session } from '../session.js';

/** Prints facts about the daemon and the namespace. */
export async function info(session: Session, output: 'table' | 'json' | 'yaml'): Promise<void> {
  const ns = session.inNamespace();
  const [version, server, { plugins }, { images }, { leases }] = await Promise.all([
    session.client(Version).version({}),
    session.client(Introspection).server({}),
    session.client(Introspection).plugins({}),
    session.client(Images).list({}, ns),
    session.client(Leases).list({}, ns),
  ]);
  let blobs = 0;
  let contentBytes = 0;
  for await (const part of session.client(Content).list({}, ns)) {
    blobs += part.info.length;
    for (const i of part.info) contentBytes += Number(i.size);
  }
  const exported = (type: string, key: string) => plugins.find((p) => p.type === type)?.exports[key] ?? '';
  const facts = {
    address: session.address,
    version: version.version,
    revision: version.revision,
    uuid: server.uuid,
    contentRoot: exported('io.containerd.content.v1', 'root'),
    metadataPath: exported('io.containerd.metadata.v1', 'path'),
    namespace: session.namespace,
    images: images.length,
    blobs,
    contentBytes,
    leases: leases.length,
  };
  if (output !== 'table') return void session.stdout.write(renderStructured(facts, output));
  const rows = Object.entries(facts).map(([key, value]) => [`${key}:`, key === 'contentBytes' ? `${humanSize(value as number)} (${value} bytes)` : String(value)]);
  session.stdout.write(renderTable(rows, { minWidth: 0, padding: 1 }));
}
