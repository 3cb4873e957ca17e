/** `imagectl content ls|get|rm`: blobs of the `-n` namespace through the Content service. */
import { toJson } from '@bufbuild/protobuf';
import { timestampMs } from '@bufbuild/protobuf/wkt';
import { Content, InfoSchema } from '../../../gen/services/content/v1/content_pb.js';
import { forEachTarget } from '../error-message.js';
import { humanSize, timeAgo } from '../format/index.js';
import { printListing, type ListingOptions } from '../listing.js';
import type { Session } from '../session.js';

/** `key=value,...` of `labels`, sorted by key. */
export const formatLabels = (labels: Readonly<Record<string, string>>): string =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');

/** Lists blobs (matching any of `filter`): DIGEST, SIZE, AGE, LABELS. */
export async function contentList(session: Session, options: ListingOptions & { readonly filter: readonly string[] }): Promise<void> {
  const infos = [];
  for await (const part of session.client(Content).list({ filters: [...options.filter] }, session.inNamespace())) infos.push(...part.info);
  const now = Date.now();
  printListing(
    session.stdout,
    {
      header: ['DIGEST', 'SIZE', 'AGE', 'LABELS'],
      rows: infos.map((i) => [i.digest, humanSize(Number(i.size)), i.createdAt ? timeAgo(timestampMs(i.createdAt), now) : '', formatLabels(i.labels)]),
      ids: infos.map((i) => i.digest),
      data: { content: infos.map((i) => toJson(InfoSchema, i)) },
    },
    options,
  );
}

/** Writes the raw bytes of blob `digest` to stdout. */
export async function contentGet(session: Session, digest: string): Promise<void> {
  const out = session.stdout;
  for await (const part of session.client(Content).read({ digest }, session.inNamespace())) {
    if (!out.write(part.data) && out.once !== undefined) await new Promise<void>((resolve) => out.once?.('drain', resolve));
  }
}

/** Deletes each blob, printing its digest; the others still go when one fails. */
export async function contentRemove(session: Session, digests: readonly string[]): Promise<void> {
  await forEachTarget(digests, session.stderr, async (digest) => {
    await session.client(Content).delete({ digest }, session.inNamespace());
    session.stdout.write(`${digest}\n`);
  });
}
