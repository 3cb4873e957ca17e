/** `imagectl leases ls`: leases of the `-n` namespace: ID, CREATED AT, LABELS. */
import { toJson } from '@bufbuild/protobuf';
import { timestampDate } from '@bufbuild/protobuf/wkt';
import { Leases, LeaseSchema } from '../../../gen/services/leases/v1/leases_pb.js';
import { printListing, type ListingOptions } from '../listing.js';
import type { Session } from '../session.js';
import { formatLabels } from './content.js';

/** Lists leases (matching any of `filter`). */
export async function leasesList(session: Session, options: ListingOptions & { readonly filter: readonly string[] }): Promise<void> {
  const { leases } = await session.client(Leases).list({ filters: [...options.filter] }, session.inNamespace());
  printListing(
    session.stdout,
    {
      header: ['ID', 'CREATED AT', 'LABELS'],
      rows: leases.map((l) => [l.id, l.createdAt ? timestampDate(l.createdAt).toISOString() : '', formatLabels(l.labels)]),
      ids: leases.map((l) => l.id),
      data: { leases: leases.map((l) => toJson(LeaseSchema, l)) },
    },
    options,
  );
}
