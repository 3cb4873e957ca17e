/** Content API helpers for tests: write a whole blob, read one back, list what a namespace sees. */
import { createHash } from 'node:crypto';
import { WriteAction } from '../../gen/services/content/v1/content_pb.js';
import { status } from '@grpc/grpc-js';
import { inNamespace, type clientsFor } from './clients.js';

/** The clients `clientsFor` returns. */
export type Clients = ReturnType<typeof clientsFor>;

/** The sha256 digest of `bytes`. */
export const sha = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A blob as Content.List reports it. */
export interface ListedBlob {
  /** Its digest. */
  readonly digest: string;
  /** Its size in bytes. */
  readonly size: number;
  /** Its labels. */
  readonly labels: Record<string, string>;
}

/**
 * Writes `data` in one Write call (data and commit in one message) in `namespace`, under `lease`
 * when given (within `timeoutMs` when given); AlreadyExists counts as written (labels are then applied with an Update); other
 * failures reject with the call's gRPC error.
 */
export async function putBlob(
  c: Clients,
  namespace: string,
  data: Uint8Array,
  options: { lease?: string; labels?: Record<string, string>; timeoutMs?: number } = {},
): Promise<string> {
  const digest = sha(data);
  const labels = options.labels ?? {};
  const metadata = { ...inNamespace(namespace).metadata, ...(options.lease === undefined ? {} : { 'containerd-lease': options.lease }) };
  async function* messages() {
    yield { action: WriteAction.COMMIT, ref: `put-${digest}`, offset: 0n, data, total: BigInt(data.length), expected: digest, labels };
  }
  let existed = false;
  try {
    for await (const reply of c.content.write(messages(), { metadata })) {
      if (reply.digest !== digest) throw new Error(`write of ${digest} replied ${reply.digest}`);
    }
  } catch (err) {
    // Other failures keep their gRPC status for the caller to look at.
    if ((err as { code?: number }).code !== status.ALREADY_EXISTS) throw err;
    existed = true;
  }
  if (existed && Object.keys(labels).length > 0) {
    await c.content.update({ info: { digest, labels }, updateMask: { paths: Object.keys(labels).map((k) => `labels.${k}`) } }, inNamespace(namespace));
  }
  return digest;
}

/** Reads a whole blob through Content.Read. */
export async function readBlob(c: Clients, namespace: string, digest: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const r of c.content.read({ digest }, inNamespace(namespace))) chunks.push(Buffer.from(r.data));
  return Buffer.concat(chunks);
}

/** Every blob `namespace` sees. */
export async function listContent(c: Clients, namespace: string): Promise<ListedBlob[]> {
  const infos: ListedBlob[] = [];
  for await (const batch of c.content.list({}, inNamespace(namespace))) {
    for (const i of batch.info) infos.push({ digest: i.digest, size: Number(i.size), labels: { ...i.labels } });
  }
  return infos;
}
