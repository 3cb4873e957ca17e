/** Asks a daemon's grpc.health.v1 service whether it serves (the proof that it survived what a test did to it). */
import { createServiceClient } from '../../../src/client/index.js';
import { Health, HealthCheckResponse_ServingStatus } from '../../../gen/grpc/health/v1/health_pb.js';

/** The overall serving status of the daemon on `socket`, by name (`SERVING`, …); rejects when it does not answer. */
export async function healthOf(socket: string): Promise<string> {
  const health = createServiceClient(Health, socket);
  try {
    const { status } = await health.check({ service: '' }, { timeoutMs: 10_000 });
    return HealthCheckResponse_ServingStatus[status];
  } finally {
    health.close();
  }
}
