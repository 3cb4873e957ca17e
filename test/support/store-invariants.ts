/**
 * The invariants a data directory must keep whatever happened to the daemon (SIGKILL, full disk,
 * faulty registries), checked through a running daemon on that root and on its files:
 * - every blob file is named by a digest and its bytes hash to that name (no half-written blob
 *   is visible; partial data lives only under `content/ingest/`);
 * - every blob a namespace sees has its file, with the size the metadata records;
 * - every image's target, and all its children (index → manifests → config and layers), reads back
 *   through Content.Read with the right digest and size; an index needs at least one manifest,
 *   a manifest all of its config and layers, each also named by a gc.ref label of the manifest.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GC_REF_CONTENT, isIndex, isManifest, parseIndex, parseManifest } from '../../src/images/handlers/index.js';
import { inNamespace } from './clients.js';
import { listContent, readBlob, sha, type Clients, type ListedBlob } from './content-io.js';

/** What a check found. */
export interface StoreReport {
  /** What is wrong; empty when every invariant holds. */
  readonly problems: string[];
  /** How many individual facts were verified (blob files, visible blobs, image blobs). */
  readonly checks: number;
  /** The images listed, by namespace. */
  readonly images: Map<string, Set<string>>;
}

const HEX = /^[0-9a-f]{64}$/;

/** SHA-256 of a file, or undefined when it vanished meanwhile (a collection may remove files). */
async function hashFile(path: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return `sha256:${hash.digest('hex')}`;
}

/** The blob files under `root`, by digest, with their sizes. */
export function blobFiles(root: string): Map<string, number> {
  const dir = join(root, 'content', 'blobs', 'sha256');
  return new Map(readdirSync(dir).map((name) => [`sha256:${name}`, statSync(join(dir, name)).size]));
}

/** Checks every invariant of the daemon's store; `namespaces` defaults to all the daemon lists. */
export async function checkStore(c: Clients, root: string, namespaces?: readonly string[]): Promise<StoreReport> {
  const problems: string[] = [];
  let checks = 0;
  // Files first: a collection removes records before files, so a record seen later had its file now.
  const files = blobFiles(root);
  const blobsDir = join(root, 'content', 'blobs');
  const algorithms = readdirSync(blobsDir);
  if (algorithms.join() !== 'sha256') problems.push(`${blobsDir} holds ${algorithms.join(', ')}, expected only sha256`);
  for (const [digest, size] of files) {
    const hex = digest.slice('sha256:'.length);
    if (!HEX.test(hex)) {
      problems.push(`blob file ${hex} (${size} bytes) is not named by a digest`);
      continue;
    }
    const got = await hashFile(join(blobsDir, 'sha256', hex));
    if (got !== undefined && got !== digest) problems.push(`blob file ${digest} (${size} bytes) holds bytes hashing to ${got}`);
    checks++;
  }
  const names = namespaces ?? (await c.namespaces.list({})).namespaces.map((n) => n.name);
  const images = new Map<string, Set<string>>();
  for (const namespace of names) {
    const visible = new Map<string, ListedBlob>();
    for (const info of await listContent(c, namespace)) {
      visible.set(info.digest, info);
      const size = files.get(info.digest);
      if (size !== info.size) problems.push(`${namespace}: ${info.digest} visible (${info.size} bytes) but its file has ${size ?? 'no'} bytes`);
      checks++;
    }
    const verified = new Map<string, Buffer | undefined>();
    /** The bytes of `digest` if they read back right (reading each blob once per namespace). */
    const verify = async (digest: string, size: bigint, what: string): Promise<Buffer | undefined> => {
      if (verified.has(digest)) return verified.get(digest);
      let bytes: Buffer | undefined;
      try {
        bytes = await readBlob(c, namespace, digest);
        if (sha(bytes) !== digest || BigInt(bytes.length) !== size) {
          problems.push(`${namespace}: ${what}: ${digest} (${size} bytes) reads back as ${sha(bytes)} (${bytes.length} bytes)`);
          bytes = undefined;
        } else checks++;
      } catch (err) {
        problems.push(`${namespace}: ${what}: ${digest} unreadable: ${String(err)}`);
      }
      verified.set(digest, bytes);
      return bytes;
    };
    /** Verifies a descriptor and, for indexes and manifests, what they reference. */
    const walk = async (desc: { digest: string; size: bigint; mediaType: string }, what: string): Promise<void> => {
      const bytes = await verify(desc.digest, desc.size, what);
      if (bytes === undefined) return;
      try {
        if (isIndex(desc.mediaType)) {
          const present = parseIndex(bytes).manifests.filter((m) => visible.has(m.digest));
          if (present.length === 0) problems.push(`${namespace}: ${what}: index ${desc.digest} has none of its manifests`);
          for (const m of present) await walk({ ...m, size: BigInt(m.size) }, what);
        } else if (isManifest(desc.mediaType)) {
          const manifest = parseManifest(bytes);
          const labelled = new Set(Object.entries(visible.get(desc.digest)?.labels ?? {}).filter(([k]) => k.startsWith(GC_REF_CONTENT)).map(([, v]) => v));
          for (const child of [manifest.config, ...manifest.layers]) {
            if (!labelled.has(child.digest)) problems.push(`${namespace}: ${what}: manifest ${desc.digest} has no gc.ref label for ${child.digest}`);
            await verify(child.digest, BigInt(child.size), what);
          }
        }
      } catch (err) {
        problems.push(`${namespace}: ${what}: ${desc.digest} does not parse: ${String(err)}`);
      }
    };
    const listed = (await c.images.list({}, inNamespace(namespace))).images;
    images.set(namespace, new Set(listed.map((im) => im.name)));
    for (const image of listed) {
      if (image.target === undefined) problems.push(`${namespace}: image ${image.name} has no target`);
      else await walk(image.target, `image ${image.name}`);
    }
  }
  return { problems, checks, images };
}
