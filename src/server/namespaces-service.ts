/** containerd.services.namespaces.v1.Namespaces over the namespace store. */
import { create } from '@bufbuild/protobuf';
import { EmptySchema } from '@bufbuild/protobuf/wkt';
import { invalidArgument } from '../errdefs/index.js';
import { labelledFields, parseFilters } from '../filters/index.js';
import type { Namespace, NamespaceStore } from '../metadata/index.js';
import { Namespaces } from '../../gen/services/namespaces/v1/namespace_pb.js';
import type { ServiceImpl } from './adapter.js';

const toMessage = (ns: Namespace) => ({ name: ns.name, labels: { ...ns.labels } });

/** Label changes selected by an update mask: `labels` replaces all, `labels.<k>` sets or removes one. */
function maskedLabels(current: Namespace, incoming: Readonly<Record<string, string>>, paths: readonly string[]) {
  if (paths.length === 0) return { ...incoming };
  const labels: Record<string, string> = { ...current.labels };
  for (const path of paths) {
    if (path === 'labels') {
      for (const key of Object.keys(labels)) delete labels[key];
      Object.assign(labels, incoming);
    } else if (path.startsWith('labels.')) {
      const key = path.slice('labels.'.length);
      labels[key] = incoming[key] ?? '';
    } else {
      throw invalidArgument(`cannot update ${JSON.stringify(path)} field on namespace ${JSON.stringify(current.name)}: only labels and labels.<key> can change`);
    }
  }
  return labels;
}

/** Implements the Namespaces service. Its calls need no namespace header. */
export function createNamespacesService(store: NamespaceStore): ServiceImpl<(typeof Namespaces)['method']> {
  return {
    async get(req) {
      return { namespace: toMessage(store.get(req.name)) };
    },

    async list(req) {
      const filter = parseFilters(req.filter === '' ? [] : [req.filter]);
      const namespaces = store.list().filter((ns) => filter.match(labelledFields({ name: ns.name }, ns.labels)));
      return { namespaces: namespaces.map(toMessage) };
    },

    async create(req) {
      return { namespace: toMessage(await store.create(req.namespace?.name ?? '', req.namespace?.labels ?? {})) };
    },

    async update(req) {
      const name = req.namespace?.name ?? '';
      const labels = maskedLabels(store.get(name), req.namespace?.labels ?? {}, req.updateMask?.paths ?? []);
      return { namespace: toMessage(await store.setLabels(name, labels)) };
    },

    async delete(req) {
      await store.delete(req.name);
      return create(EmptySchema);
    },
  };
}
