export type { CallOptions, ServiceClient } from './client.js';
export { createServiceClient, grpcTarget } from './client.js';
