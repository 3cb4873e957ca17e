/** grpc.health.v1.Health: serving status per service name ("" is the whole server). */
import { notFound } from '../errdefs/index.js';
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from '../../gen/grpc/health/v1/health_pb.js';
import type { ServiceImpl } from './adapter.js';
import { wakeOrAbort } from './wake.js';

export { ServingStatus };

/** The statuses a health service reports, changeable at run time. */
export interface HealthStatuses {
  /** Sets the status of `service` ("" = whole server) and tells watchers. */
  set(service: string, status: ServingStatus): void;
}

/** Creates the Health service and the handle that changes what it reports; streams end on `shutdown`. */
export function createHealthService(
  initial: Readonly<Record<string, ServingStatus>>,
  shutdown: AbortSignal,
): { service: ServiceImpl<(typeof Health)['method']>; statuses: HealthStatuses } {
  const statuses = new Map(Object.entries(initial));
  const watchers = new Map<string, Set<(status: ServingStatus) => void>>();
  const current = (service: string) => statuses.get(service) ?? ServingStatus.SERVICE_UNKNOWN;
  return {
    statuses: {
      set(service, status) {
        statuses.set(service, status);
        for (const notify of watchers.get(service) ?? []) notify(status);
      },
    },
    service: {
      async check(req) {
        const status = statuses.get(req.service);
        if (status === undefined) throw notFound(`unknown service ${JSON.stringify(req.service)}`);
        return { status };
      },
      async list() {
        return { statuses: Object.fromEntries([...statuses].map(([name, status]) => [name, { status }])) };
      },
      async watch(req, ctx, send) {
        let pending: Promise<void> = send({ status: current(req.service) });
        const notify = (status: ServingStatus) => {
          pending = pending.then(() => send({ status }));
        };
        const set = watchers.get(req.service) ?? new Set();
        watchers.set(req.service, set.add(notify));
        try {
          await wakeOrAbort([ctx.signal, shutdown]);
          await pending;
        } finally {
          set.delete(notify);
        }
      },
    },
  };
}
