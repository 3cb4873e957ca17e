/** containerd.services.introspection.v1.Introspection: server identity and the plugins imaged runs. */
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { notFound } from '../errdefs/index.js';
import { labelledFields, parseFilters } from '../filters/index.js';
import { Introspection } from '../../gen/services/introspection/v1/introspection_pb.js';
import type { ServiceImpl } from './adapter.js';

/** A plugin as containerd reports it (`ctr plugins ls`). */
export interface PluginInfo {
  /** Plugin type, e.g. `io.containerd.grpc.v1`. */
  readonly type: string;
  /** Plugin id, e.g. `images`. */
  readonly id: string;
  /** Plugin types it depends on. */
  readonly requires?: readonly string[];
  /** Values it exposes, e.g. the root it stores data in. */
  readonly exports?: Readonly<Record<string, string>>;
}

/** The server UUID kept in `root/uuid`, created on first start. */
export function serverUuid(root: string): string {
  const path = join(root, 'uuid');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    const uuid = randomUUID();
    writeFileSync(path, `${uuid}\n`, { mode: 0o644 });
    return uuid;
  }
}

/** The inode number of this process's PID namespace (0 where /proc does not tell). */
function pidNamespace(): bigint {
  try {
    return BigInt(/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? 0);
  } catch {
    return 0n;
  }
}

const toMessage = (p: PluginInfo) => ({ type: p.type, id: p.id, requires: [...(p.requires ?? [])], exports: { ...p.exports } });

/** Implements the Introspection service for a server with `uuid` running `plugins`. */
export function createIntrospectionService(
  uuid: string,
  plugins: readonly PluginInfo[],
): ServiceImpl<(typeof Introspection)['method']> {
  return {
    async plugins(req) {
      const filter = parseFilters(req.filters);
      return { plugins: plugins.filter((p) => filter.match(labelledFields({ type: p.type, id: p.id }, {}))).map(toMessage) };
    },
    async server() {
      return { uuid, pid: BigInt(process.pid), pidns: pidNamespace() };
    },
    async pluginInfo(req) {
      const plugin = plugins.find((p) => p.type === req.type && p.id === req.id);
      if (plugin === undefined) throw notFound(`plugin ${req.type}.${req.id} not found`);
      return { plugin: toMessage(plugin) };
    },
  };
}
