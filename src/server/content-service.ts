/** containerd.services.content.v1.Content over the namespaced content store. */
import { create } from '@bufbuild/protobuf';
import { EmptySchema } from '@bufbuild/protobuf/wkt';
import type { Info } from '../content/index.js';
import { parseDigest } from '../digest/index.js';
import { invalidArgument, outOfRange } from '../errdefs/index.js';
import { labelledFields, parseFilters } from '../filters/index.js';
import type { ContentStatus, ContentStore, ContentWriter } from '../metadata/index.js';
import {
  Content,
  WriteAction,
  type WriteContentRequest,
} from '../../gen/services/content/v1/content_pb.js';
import { EncodedMessage, type ServiceImpl } from './adapter.js';
import { leaseOf, requireNamespace } from './call-metadata.js';
import { toTimestamp } from './convert.js';
import { encodeReadChunk, READ_CHUNK_HEADROOM } from './encoding-cache.js';

/** Infos per List response message, as containerd sends them. */
const LIST_BATCH = 100;

const toInfo = (info: Info) => ({
  digest: info.digest,
  size: BigInt(info.size),
  createdAt: toTimestamp(info.createdAt),
  updatedAt: toTimestamp(info.updatedAt),
  labels: { ...info.labels },
});

const toStatus = (s: ContentStatus) => ({
  ref: s.ref,
  offset: BigInt(s.offset),
  total: BigInt(s.total),
  expected: s.expected,
  startedAt: toTimestamp(s.startedAt),
  updatedAt: toTimestamp(s.updatedAt),
});

/** A digest from a request, InvalidArgument naming it when malformed. */
const digestOf = (digest: string): string => parseDigest(digest);

/** Implements the Content service. */
export function createContentService(store: ContentStore): ServiceImpl<(typeof Content)['method']> {
  return {
    async info(req, ctx) {
      return { info: toInfo(store.info(requireNamespace(ctx), digestOf(req.digest))) };
    },

    async update(req, ctx) {
      const namespace = requireNamespace(ctx);
      if (req.info === undefined) throw invalidArgument('info must be set');
      const info = await store.update(namespace, digestOf(req.info.digest), req.info.labels, req.updateMask?.paths ?? []);
      return { info: toInfo(info) };
    },

    async list(req, ctx, send) {
      const namespace = requireNamespace(ctx);
      const filter = parseFilters(req.filters);
      const infos = store.list(namespace, (info) => filter.match(labelledFields({ digest: info.digest }, info.labels)));
      for (let i = 0; i < infos.length && !ctx.signal.aborted; i += LIST_BATCH) {
        await send({ info: infos.slice(i, i + LIST_BATCH).map(toInfo) });
      }
    },

    async delete(req, ctx) {
      await store.delete(requireNamespace(ctx), digestOf(req.digest));
      return create(EmptySchema);
    },

    async read(req, ctx, send) {
      const namespace = requireNamespace(ctx);
      for await (const chunk of store.read(namespace, digestOf(req.digest), Number(req.offset), Number(req.size), READ_CHUNK_HEADROOM)) {
        if (ctx.signal.aborted) return;
        await send(new EncodedMessage(encodeReadChunk(chunk.offset, chunk.data, true)));
      }
    },

    async status(req, ctx) {
      return { status: toStatus(await store.status(requireNamespace(ctx), req.ref)) };
    },

    async listStatuses(req, ctx) {
      const filter = parseFilters(req.filters);
      const statuses = await store.listStatuses(requireNamespace(ctx), (s) =>
        filter.match(labelledFields({ ref: s.ref, expected: s.expected }, {})),
      );
      return { statuses: statuses.map(toStatus) };
    },

    async abort(req, ctx) {
      await store.abort(requireNamespace(ctx), req.ref);
      return create(EmptySchema);
    },

    async write(requests, ctx, send) {
      const namespace = requireNamespace(ctx);
      const lease = leaseOf(ctx);
      const iterator = requests[Symbol.asyncIterator]();
      const first = await iterator.next();
      if (first.done) return;
      if (first.value.ref === '') throw invalidArgument('first message must have a reference');
      let total = byteCount(first.value.total, 'total');
      let expected = first.value.expected;
      const writer = await store.writer(namespace, first.value.ref, {
        total,
        expected,
        ...(lease === undefined ? {} : { lease }),
      });
      try {
        for (let next: IteratorResult<WriteContentRequest> = first; !next.done; next = await iterator.next()) {
          const req = next.value;
          if (req.total !== 0n) total = byteCount(req.total, 'total');
          if (req.expected !== '') expected = req.expected;
          const reply = await handleWrite(writer, req, total, expected);
          await send(reply);
          if (req.action === WriteAction.COMMIT) return;
        }
      } finally {
        await writer.close();
      }
    },
  };
}

/** A size or offset field as a number; InvalidArgument when it is negative or beyond what a file can hold here. */
function byteCount(value: bigint, field: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalidArgument(`${field} ${value} is out of range: expected 0 to ${Number.MAX_SAFE_INTEGER} bytes`);
  }
  return Number(value);
}

/** Answers one message of a Write stream. */
async function handleWrite(writer: ContentWriter, req: WriteContentRequest, total: number, expected: string) {
  const status = writer.status();
  if (req.action === WriteAction.STAT) {
    return {
      action: req.action,
      offset: BigInt(status.offset),
      total: BigInt(total),
      digest: writer.digest(),
      startedAt: toTimestamp(status.startedAt),
      updatedAt: toTimestamp(status.updatedAt),
    };
  }
  if (req.action !== WriteAction.WRITE && req.action !== WriteAction.COMMIT) {
    throw invalidArgument(`unknown write action ${req.action}: use STAT, WRITE or COMMIT`);
  }
  const offset = byteCount(req.offset, 'offset');
  if (offset > 0 && offset !== status.offset) {
    throw outOfRange(`write at offset ${offset} on ref ${status.ref}, but ${status.offset} bytes are written: resume from ${status.offset}`);
  }
  if (offset === 0 && status.offset > 0) await writer.truncate();
  if (req.data.byteLength > 0) await writer.write(req.data);
  if (req.action === WriteAction.COMMIT) await writer.commit(total, expected, req.labels);
  const after = writer.status();
  return { action: req.action, offset: BigInt(after.offset), total: BigInt(total), digest: writer.digest() };
}
