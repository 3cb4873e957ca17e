/** The containerd conventions carried in gRPC metadata: namespace and lease. */
import type { Metadata } from '@grpc/grpc-js';
import { failedPrecondition } from '../errdefs/index.js';
import { validateNamespace } from '../metadata/index.js';
import type { CallContext } from './adapter.js';

/** Metadata key carrying the namespace of a containerd API call. */
export const NAMESPACE_HEADER = 'containerd-namespace';
/** Metadata key carrying the lease a call's writes belong to. */
export const LEASE_HEADER = 'containerd-lease';

const first = (metadata: Metadata, key: string): string | undefined => {
  const value = metadata.get(key)[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** The call's namespace; FailedPrecondition when absent, InvalidArgument when malformed. */
export function requireNamespace(ctx: CallContext): string {
  const namespace = first(ctx.metadata, NAMESPACE_HEADER);
  if (namespace === undefined) {
    throw failedPrecondition(`namespace is required: set the "${NAMESPACE_HEADER}" metadata (ctr -n NAME)`);
  }
  validateNamespace(namespace);
  return namespace;
}

/** The lease named by the call's metadata, if any. */
export const leaseOf = (ctx: CallContext): string | undefined => first(ctx.metadata, LEASE_HEADER);
