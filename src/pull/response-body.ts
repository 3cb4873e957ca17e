/**
 * Reading registry responses: content length, the manifest media type (from headers or the document),
 * undoing a Content-Encoding, and reading a whole body under a size cap.
 */
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ImagedError } from '../errdefs/index.js';
import { isIndex, isManifest, MEDIA_TYPE_DOCKER_SCHEMA1_MANIFEST, MEDIA_TYPE_OCI_INDEX, MEDIA_TYPE_OCI_MANIFEST } from '../images/handlers/index.js';
import { Rank, ranked } from './error-rank.js';
import type { HttpResponse } from './http-transport.js';
import { connectionError } from './transport-errors.js';

/** Docker schema 1 without a signature; refused like the signed form. */
export const MEDIA_TYPE_DOCKER_SCHEMA1_UNSIGNED = 'application/vnd.docker.distribution.manifest.v1+json';

/** Reports whether `mediaType` is Docker schema 1 (signed or not). */
export const isSchema1 = (mediaType: string): boolean => mediaType === MEDIA_TYPE_DOCKER_SCHEMA1_MANIFEST || mediaType === MEDIA_TYPE_DOCKER_SCHEMA1_UNSIGNED;

/** Media types served from the manifests endpoint rather than the blobs endpoint. */
export const isManifestType = (mediaType: string): boolean => isIndex(mediaType) || isManifest(mediaType) || isSchema1(mediaType);

/** The media type of a manifest response (parameters dropped; `text/plain` is what old registries send for schema 1). */
export function manifestMediaType(res: HttpResponse): string {
  const type = (res.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
  return type === 'text/plain' ? MEDIA_TYPE_DOCKER_SCHEMA1_MANIFEST : type;
}

/** The media type a manifest document declares, or guessed from its shape; '' when it is not a manifest. */
export function sniffMediaType(body: Uint8Array): string {
  try {
    const doc = JSON.parse(Buffer.from(body).toString('utf8')) as unknown;
    if (typeof doc !== 'object' || doc === null) return '';
    const d = doc as Record<string, unknown>;
    if (typeof d.mediaType === 'string' && d.mediaType !== '') return d.mediaType;
    if (Array.isArray(d.manifests)) return MEDIA_TYPE_OCI_INDEX;
    if (typeof d.config === 'object' && d.config !== null) return MEDIA_TYPE_OCI_MANIFEST;
    if (d.schemaVersion === 1) return MEDIA_TYPE_DOCKER_SCHEMA1_MANIFEST;
  } catch {
    // Not JSON: not a manifest.
  }
  return '';
}

/** The Content-Length of a response, when it sent a valid one. */
export const contentLength = (res: HttpResponse): number | undefined => {
  const text = res.headers['content-length'];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
};

/** The body with any Content-Encoding undone (imaged asks for identity, but servers may compress anyway). */
export function decodedBody(res: HttpResponse, what: string): Readable {
  const encoding = (res.headers['content-encoding'] ?? '').toLowerCase().split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'identity');
  let body: Readable = res.body;
  for (const e of encoding.reverse()) {
    const decoder = e === 'gzip' || e === 'x-gzip' ? createGunzip() : e === 'deflate' ? createInflate() : e === 'br' ? createBrotliDecompress() : undefined;
    if (decoder === undefined) {
      res.body.destroy();
      throw ranked(new ImagedError('Unavailable', `${res.url.host} sent ${what} with unsupported Content-Encoding "${e}"`), Rank.Content);
    }
    body = pipeline(body, decoder, () => undefined);
  }
  return body;
}

/** Reads a whole (decoded) body of at most `limit` bytes; `over` when there was more (the rest is dropped). */
export async function readAll(body: Readable, limit: number, url: URL): Promise<{ readonly bytes: Buffer; readonly over: boolean }> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > limit) {
        body.destroy();
        return { bytes: Buffer.concat(chunks), over: true };
      }
      chunks.push(chunk);
    }
  } catch (err) {
    throw ranked(err instanceof ImagedError ? err : connectionError(err as Error, url), Rank.Connection);
  }
  return { bytes: Buffer.concat(chunks), over: false };
}
