/** A content Provider over the daemon's Content service, so image handlers can walk remote images. */
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import type { Info, Provider, ReaderAt } from '../content/index.js';
import { verifyBytes } from '../digest/index.js';
import { ImagedError } from '../errdefs/index.js';
import { Content } from '../../gen/services/content/v1/content_pb.js';
import type { Session } from './session.js';

const nanos = (t: Timestamp | undefined): bigint => (t === undefined ? 0n : t.seconds * 1_000_000_000n + BigInt(t.nanos));

/** Reads `size` bytes of `digest` from `offset` through Content.Read. */
async function read(session: Session, namespace: string, digest: string, offset: number, size: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const stream = session.client(Content).read({ digest, offset: BigInt(offset), size: BigInt(size) }, session.inNamespace(namespace));
  for await (const part of stream) parts.push(part.data);
  return Buffer.concat(parts);
}

/** A Provider reading what `namespace` sees on the daemon. */
export function remoteProvider(session: Session, namespace: string): Provider {
  const info = async (digest: string): Promise<Info> => {
    const found = (await session.client(Content).info({ digest }, session.inNamespace(namespace))).info;
    return {
      digest,
      size: Number(found?.size ?? 0n),
      createdAt: nanos(found?.createdAt),
      updatedAt: nanos(found?.updatedAt),
      labels: { ...found?.labels },
    };
  };
  return {
    info,
    async readerAt(digest): Promise<ReaderAt> {
      const { size } = await info(digest);
      return { size, readAt: (offset, length) => read(session, namespace, digest, offset, Math.min(length, size - offset)), close: async () => undefined };
    },
    async readBlob(descriptor, maxBytes) {
      const { size } = await info(descriptor.digest);
      if (size > maxBytes) throw new ImagedError('ResourceExhausted', `blob ${descriptor.digest} is ${size} bytes, more than the ${maxBytes} allowed here`);
      const bytes = await read(session, namespace, descriptor.digest, 0, size);
      verifyBytes(bytes, descriptor);
      return bytes;
    },
  };
}
