/** containerd.services.leases.v1.Leases over the lease store. */
import { create } from '@bufbuild/protobuf';
import { EmptySchema } from '@bufbuild/protobuf/wkt';
import { labelledFields, parseFilters } from '../filters/index.js';
import type { Lease, LeaseStore } from '../metadata/index.js';
import { Leases } from '../../gen/services/leases/v1/leases_pb.js';
import type { ServiceImpl } from './adapter.js';
import { requireNamespace } from './call-metadata.js';
import { toTimestamp } from './convert.js';
import type { CollectGarbage } from './images-service.js';

const toMessage = (lease: Lease) => ({ id: lease.id, createdAt: toTimestamp(lease.createdAt), labels: { ...lease.labels } });
const resourceOf = (r: { id: string; type: string } | undefined) => ({ id: r?.id ?? '', type: r?.type ?? '' });

/** Implements the Leases service; `collect` runs for deletes with `sync`. */
export function createLeasesService(store: LeaseStore, collect: CollectGarbage): ServiceImpl<(typeof Leases)['method']> {
  return {
    async create(req, ctx) {
      return { lease: toMessage(await store.create(requireNamespace(ctx), req.id, req.labels)) };
    },

    async delete(req, ctx) {
      await store.delete(requireNamespace(ctx), req.id);
      if (req.sync) await collect();
      return create(EmptySchema);
    },

    async list(req, ctx) {
      const filter = parseFilters(req.filters);
      const leases = store.list(requireNamespace(ctx), (l) => filter.match(labelledFields({ id: l.id }, l.labels)));
      return { leases: leases.map(toMessage) };
    },

    async addResource(req, ctx) {
      await store.addResource(requireNamespace(ctx), req.id, resourceOf(req.resource));
      return create(EmptySchema);
    },

    async deleteResource(req, ctx) {
      await store.deleteResource(requireNamespace(ctx), req.id, resourceOf(req.resource));
      return create(EmptySchema);
    },

    async listResources(req, ctx) {
      return { resources: store.get(requireNamespace(ctx), req.id).resources.map((r) => ({ ...r })) };
    },
  };
}
