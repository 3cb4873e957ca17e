/**
 * The registry side of a pull on the OCI distribution API: resolving a reference to a descriptor,
 * fetching manifests (size-capped, digest-checked) and streaming blobs (redirects followed, Range
 * resume), trying the host's endpoints in hosts.toml order as containerd does.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Descriptor } from '../content/index.js';
import { digestAlgorithm, parseDigest, tryParseDigest, type Digest } from '../digest/index.js';
import { ImagedError, invalidArgument, notFound, outOfRange } from '../errdefs/index.js';
import {
  MAX_MANIFEST_BYTES,
  MEDIA_TYPE_DOCKER_MANIFEST,
  MEDIA_TYPE_DOCKER_MANIFEST_LIST,
  MEDIA_TYPE_OCI_INDEX,
  MEDIA_TYPE_OCI_MANIFEST,
} from '../images/handlers/index.js';
import { createAuthorizer } from './auth.js';
import { blobStream, type BlobStream } from './blob-stream.js';
import type { CredentialsLookup } from './credentials.js';
import { endpointHost, hasCapabilities, type Capability, type RegistryEndpoint } from './endpoint.js';
import { errorPicker, Rank, rankOf, ranked } from './error-rank.js';
import { DOCKER_HUB, DOCKER_HUB_API_HOST, registryEndpoints } from './hosts-config.js';
import { createHttpTransport, discard, type HttpResponse, type HttpTransport } from './http-transport.js';
import { parseReference, pullScope, type ImageReference } from './reference.js';
import { readRegistryMessage, statusError } from './registry-errors.js';
import { sendToEndpoint, type RequestContext } from './registry-request.js';
import { contentLength, decodedBody, isManifestType, isSchema1, manifestMediaType, readAll, sniffMediaType } from './response-body.js';

/** Media types asked for when resolving, as containerd does (`*∕*` last, for registries that ignore the rest). */
export const RESOLVE_ACCEPT = [MEDIA_TYPE_DOCKER_MANIFEST, MEDIA_TYPE_DOCKER_MANIFEST_LIST, MEDIA_TYPE_OCI_MANIFEST, MEDIA_TYPE_OCI_INDEX, '*/*'].join(', ');

/** What `createRegistryClient` accepts. */
export interface RegistryClientOptions {
  /** The registry config directory (`--registry-config-dir`) with `<host>/hosts.toml` files. */
  readonly configDir?: string;
  /** Replaces the hosts.toml lookup: the endpoints for a registry host, in order. */
  readonly endpoints?: (host: string) => Promise<readonly RegistryEndpoint[]>;
  /** Credentials per endpoint host; anonymous without. */
  readonly credentials?: CredentialsLookup;
  /** `User-Agent` (default `imaged`). */
  readonly userAgent?: string;
  /** Longest wait for response headers (default 120 s). */
  readonly responseTimeoutMs?: number;
  /** Longest wait for the next chunk of a blob, 0 for no limit (default 5 min). */
  readonly stallTimeoutMs?: number;
  /** Base delay before retrying 408/429/5xx (default 500 ms, doubling). */
  readonly retryDelayMs?: number;
  /** The HTTP transport (default: a new one, closed by `close`). */
  readonly transport?: HttpTransport;
}

/** Options for one call. */
export interface RequestOptions {
  /** Cancels the call; it then fails with Canceled. */
  readonly signal?: AbortSignal;
}

/** Options for {@link Fetcher.fetchBlob}. */
export interface FetchBlobOptions extends RequestOptions {
  /** Start this many bytes into the blob (resume); default 0. */
  readonly offset?: number;
  /**
   * Check the digest at the end of the stream (default true). A caller whose destination verifies
   * the digest itself before the blob becomes visible (a content writer's commit) can skip this
   * second pass over every byte; sizes are always checked.
   */
  readonly verifyDigest?: boolean;
}

/** The descriptor fields a fetch needs. */
export interface RemoteDescriptor {
  /** Media type (chooses the manifests or blobs endpoint). */
  readonly mediaType: string;
  /** Digest of the content. */
  readonly digest: string;
  /** Size in bytes. */
  readonly size: number;
  /** Alternative download URLs (foreign layers), tried first. */
  readonly urls?: readonly string[];
}

/** A resolved reference: what it names and which endpoint said so. */
export interface ResolvedReference {
  /** The normalised reference. */
  readonly reference: ImageReference;
  /** The root descriptor (media type, digest, size; no annotations). */
  readonly descriptor: Descriptor;
  /** The endpoint that answered. */
  readonly endpoint: RegistryEndpoint;
}

/** Fetches content of one repository. */
export interface Fetcher {
  /** The repository's reference. */
  readonly reference: ImageReference;
  /** The endpoints tried, in order (those with the `pull` capability). */
  readonly endpoints: readonly RegistryEndpoint[];
  /** Fetches a manifest or index whole, checking its size (≤ MAX_MANIFEST_BYTES) and digest. */
  fetchManifest(desc: RemoteDescriptor, options?: RequestOptions): Promise<Uint8Array>;
  /** Starts streaming a blob from `offset`; the stream checks size and (from offset 0) digest. */
  fetchBlob(desc: RemoteDescriptor, options?: FetchBlobOptions): Promise<BlobStream>;
}

/** Resolves references and fetches content from registries. */
export interface RegistryClient {
  /** Resolves `ref` (normalised as Docker does) to its root descriptor via HEAD (GET when needed). */
  resolve(ref: string, options?: RequestOptions): Promise<ResolvedReference>;
  /** A fetcher for the repository of `ref`. */
  fetcher(ref: string | ImageReference): Promise<Fetcher>;
  /** Closes pooled connections (when the client created its transport). */
  close(): void;
}

/** Longest wait for the next chunk of a blob unless configured, as containerd's `image_pull_progress_timeout` (5 min). */
export const DEFAULT_PULL_PROGRESS_TIMEOUT_MS = 5 * 60_000;

const hashOf = (algorithm: string, bytes: Uint8Array): string => `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;

/** Reports whether requests to `ep` for images of `refHost` need the `ns` query (the endpoint is a mirror). */
const isMirror = (ep: RegistryEndpoint, refHost: string): boolean => {
  const host = endpointHost(ep);
  return host !== refHost && !(refHost === DOCKER_HUB && host === DOCKER_HUB_API_HOST);
};

/** Creates a registry client. */
export function createRegistryClient(options: RegistryClientOptions = {}): RegistryClient {
  const transport = options.transport ?? createHttpTransport(options.responseTimeoutMs === undefined ? {} : { responseTimeoutMs: options.responseTimeoutMs });
  const ctx: RequestContext = {
    transport,
    authorizer: createAuthorizer({ transport, ...(options.credentials === undefined ? {} : { credentials: options.credentials }) }),
    userAgent: options.userAgent ?? 'imaged',
    plainHttpHosts: new Set(),
    retryDelayMs: options.retryDelayMs ?? 500,
  };
  const stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_PULL_PROGRESS_TIMEOUT_MS;
  const endpointsFor = async (host: string): Promise<readonly RegistryEndpoint[]> =>
    options.endpoints !== undefined ? options.endpoints(host) : registryEndpoints(host, options.configDir === undefined ? {} : { configDir: options.configDir });

  /** The URL of `kind/object` in `ref`'s repository on `ep`. */
  const urlFor = (ep: RegistryEndpoint, ref: ImageReference, kind: 'manifests' | 'blobs', object: string): URL => {
    const url = new URL(`${ep.url.replace(/\/+$/, '')}/${ref.repository}/${kind}/${object}`);
    if (isMirror(ep, ref.host)) url.searchParams.set('ns', ref.host);
    return url;
  };

  /** Rethrows at once when the caller canceled or an endpoint's configuration is broken; other failures try the next endpoint. */
  const checkFatal = (err: unknown, signal: AbortSignal | undefined): void => {
    if (signal?.aborted === true || (err instanceof ImagedError && err.kind === 'Canceled')) {
      throw err instanceof ImagedError ? err : new ImagedError('Canceled', 'request was canceled', err);
    }
    if (rankOf(err) === Rank.Config) throw err;
  };

  /** Throws the ranked error for a non-2xx response; `fallback` stands in for the registry's words when it said none (HEAD). */
  const failStatus = async (res: HttpResponse, what: string, fallback?: string): Promise<never> => {
    const message = (res.body.readableEnded ? undefined : await readRegistryMessage(res)) ?? (res.status === 404 ? fallback : undefined);
    throw ranked(statusError(res.status, what, res.url.host, message), res.status === 404 ? Rank.NotFound : Rank.Status);
  };

  async function resolveAt(
    ep: RegistryEndpoint,
    ref: ImageReference,
    kind: 'manifests' | 'blobs',
    lastEndpoint: boolean,
    signal: AbortSignal | undefined,
  ): Promise<Descriptor> {
    const host = endpointHost(ep);
    const object = ref.digest ?? ref.tag ?? 'latest';
    const what = `image ${ref.name}`;
    const request = (method: 'GET' | 'HEAD'): Promise<HttpResponse> =>
      sendToEndpoint(ctx, ep, {
        method,
        url: urlFor(ep, ref, kind, object),
        headers: { accept: RESOLVE_ACCEPT, 'accept-encoding': 'identity' },
        scope: pullScope(ref),
        what,
        lastEndpoint,
        ...(signal === undefined ? {} : { signal }),
      });
    let res = await request('HEAD');
    if (res.status < 200 || res.status > 299) await failStatus(res, what, kind === 'manifests' ? 'manifest unknown' : 'blob unknown');
    discard(res);
    let size = contentLength(res);
    let mediaType = manifestMediaType(res);
    let digest: string | undefined = ref.digest;
    const rawHeader = res.headers['docker-content-digest'];
    const header = Array.isArray(rawHeader) ? rawHeader[0] : rawHeader;
    if (digest === undefined && header !== undefined && size !== undefined) {
      if (tryParseDigest(header) === undefined) {
        throw ranked(new ImagedError('Unavailable', `${host} sent an invalid Docker-Content-Digest for ${ref.name}`), Rank.Status);
      }
      digest = header;
    }
    if (size !== undefined && size > MAX_MANIFEST_BYTES) {
      throw ranked(
        new ImagedError('ResourceExhausted', `the manifest of ${ref.name} on ${host} is ${size} bytes, more than the ${MAX_MANIFEST_BYTES} imaged accepts`),
        Rank.Content,
      );
    }
    if (digest === undefined || size === undefined || mediaType === '') {
      res = await request('GET');
      if (res.status < 200 || res.status > 299) await failStatus(res, what);
      const declared = contentLength(res);
      if (declared !== undefined && declared > MAX_MANIFEST_BYTES) {
        res.body.destroy();
        throw ranked(
          new ImagedError('ResourceExhausted', `the manifest of ${ref.name} on ${host} is ${declared} bytes, more than the ${MAX_MANIFEST_BYTES} imaged accepts`),
          Rank.Content,
        );
      }
      const { bytes, over } = await readAll(decodedBody(res, what), MAX_MANIFEST_BYTES, res.url);
      if (over) {
        throw ranked(
          new ImagedError('ResourceExhausted', `the manifest of ${ref.name} on ${host} is larger than the ${MAX_MANIFEST_BYTES} bytes imaged accepts`),
          Rank.Content,
        );
      }
      const algorithm = digest === undefined ? 'sha256' : digestAlgorithm(digest as Digest);
      const actual = hashOf(algorithm, bytes);
      if (digest !== undefined && actual !== digest) {
        throw ranked(
          new ImagedError('FailedPrecondition', `the manifest of ${ref.name} from ${host} does not match its digest: expected ${digest}, got ${actual}`),
          Rank.Content,
        );
      }
      digest = actual;
      size = bytes.length;
      mediaType = manifestMediaType(res) || sniffMediaType(bytes);
    }
    if (mediaType === '') {
      throw ranked(new ImagedError('FailedPrecondition', `${host} served ${ref.name} without a media type, and the document is not a manifest`), Rank.Content);
    }
    if (isSchema1(mediaType)) {
      throw ranked(
        new ImagedError('Unimplemented', `${ref.name} is a Docker schema 1 image, which imaged (like containerd 2) does not pull: rebuild it as Docker schema 2 or OCI`),
        Rank.Content,
      );
    }
    return { mediaType, digest, size, annotations: {} };
  }

  async function resolve(refText: string, opts: RequestOptions = {}): Promise<ResolvedReference> {
    const reference = parseReference(refText);
    const needed: Capability[] = reference.digest === undefined ? ['pull', 'resolve'] : ['pull'];
    const endpoints = (await endpointsFor(reference.host)).filter((ep) => hasCapabilities(ep, needed));
    if (endpoints.length === 0) {
      throw notFound(`no endpoint for ${reference.host} has the ${needed.join(' and ')} capabilities needed to resolve ${reference.name}: check its hosts.toml`);
    }
    const kinds: ('manifests' | 'blobs')[] = reference.digest === undefined ? ['manifests'] : ['manifests', 'blobs'];
    const picker = errorPicker();
    for (const kind of kinds) {
      for (const [i, ep] of endpoints.entries()) {
        try {
          const descriptor = await resolveAt(ep, reference, kind, i === endpoints.length - 1, opts.signal);
          return { reference, descriptor, endpoint: ep };
        } catch (err) {
          checkFatal(err, opts.signal);
          picker.add(err);
        }
      }
    }
    throw picker.best() ?? notFound(`${reference.name} not found`);
  }

  async function fetcher(refIn: string | ImageReference): Promise<Fetcher> {
    const reference = typeof refIn === 'string' ? parseReference(refIn) : refIn;
    const endpoints = (await endpointsFor(reference.host)).filter((ep) => hasCapabilities(ep, ['pull']));
    const noEndpoints = (): ImagedError => notFound(`no endpoint for ${reference.host} has the pull capability: check its hosts.toml`);

    /** Opens `desc` on one endpoint and checks the status; returns the 2xx response. */
    const open = async (ep: RegistryEndpoint, desc: RemoteDescriptor, digest: Digest, headers: Record<string, string>, last: boolean, signal: AbortSignal | undefined) => {
      const kind = isManifestType(desc.mediaType) ? 'manifests' : 'blobs';
      const what = `${kind === 'manifests' ? 'manifest' : 'blob'} ${digest} of ${reference.host}/${reference.repository}`;
      const res = await sendToEndpoint(ctx, ep, {
        method: 'GET',
        url: urlFor(ep, reference, kind, digest),
        headers: { accept: desc.mediaType === '' ? '*/*' : `${desc.mediaType}, */*`, 'accept-encoding': 'identity', ...headers },
        scope: pullScope(reference),
        what,
        lastEndpoint: last,
        ...(signal === undefined ? {} : { signal }),
      });
      if (res.status < 200 || res.status > 299) await failStatus(res, what);
      return { res, what };
    };

    async function fetchManifest(desc: RemoteDescriptor, opts: RequestOptions = {}): Promise<Uint8Array> {
      const digest = parseDigest(desc.digest);
      if (!Number.isSafeInteger(desc.size) || desc.size < 0) throw invalidArgument(`manifest ${digest} has an invalid size ${desc.size}`);
      if (desc.size > MAX_MANIFEST_BYTES) {
        throw new ImagedError('ResourceExhausted', `manifest ${digest} of ${reference.name} is ${desc.size} bytes, more than the ${MAX_MANIFEST_BYTES} imaged accepts`);
      }
      if (endpoints.length === 0) throw noEndpoints();
      const picker = errorPicker();
      for (const [i, ep] of endpoints.entries()) {
        try {
          const { res, what } = await open(ep, desc, digest, {}, i === endpoints.length - 1, opts.signal);
          const declared = contentLength(res);
          if (declared !== undefined && declared > MAX_MANIFEST_BYTES && res.headers['content-encoding'] === undefined) {
            res.body.destroy();
            throw ranked(new ImagedError('ResourceExhausted', `${res.url.host} sent ${declared} bytes for ${what}, more than the ${MAX_MANIFEST_BYTES} imaged accepts`), Rank.Content);
          }
          const { bytes, over } = await readAll(decodedBody(res, what), desc.size, res.url);
          if (over || bytes.length !== desc.size) {
            throw ranked(
              new ImagedError('FailedPrecondition', `${res.url.host} sent ${over ? 'more than' : bytes.length} bytes for ${what}, whose descriptor says ${desc.size}`),
              Rank.Content,
            );
          }
          const actual = hashOf(digestAlgorithm(digest), bytes);
          if (actual !== digest) {
            throw ranked(new ImagedError('FailedPrecondition', `${what} from ${res.url.host} does not match its digest: got ${actual}`), Rank.Content);
          }
          return bytes;
        } catch (err) {
          checkFatal(err, opts.signal);
          picker.add(err);
        }
      }
      throw picker.best();
    }

    async function fetchBlob(desc: RemoteDescriptor, opts: FetchBlobOptions = {}): Promise<BlobStream> {
      const digest = parseDigest(desc.digest);
      const offset = opts.offset ?? 0;
      const verifyDigest = opts.verifyDigest ?? true;
      if (!Number.isSafeInteger(desc.size) || desc.size < 0) throw invalidArgument(`blob ${digest} has an invalid size ${desc.size}`);
      if (!Number.isSafeInteger(offset) || offset < 0) throw invalidArgument(`offset ${offset} must be a non-negative integer`);
      if (offset > desc.size) throw outOfRange(`offset ${offset} is past the end of blob ${digest} (${desc.size} bytes)`);
      if (offset === desc.size && offset > 0) {
        // Nothing left to download: no request (a Range starting at the end would be refused with 416).
        const url = new URL(endpoints[0]?.url ?? `https://${reference.host}/`);
        return blobStream({ body: Readable.from([]), url, digest, size: desc.size, offset, skip: 0, stallTimeoutMs, verifyDigest });
      }
      const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
      const picker = errorPicker();
      const started = async (res: HttpResponse, what: string): Promise<BlobStream> => {
        let skip = 0;
        if (offset > 0) {
          const range = res.headers['content-range'];
          if (res.status === 206 || range !== undefined) {
            if (range === undefined || !range.startsWith(`bytes ${offset}-`)) {
              res.body.destroy();
              throw ranked(new ImagedError('Unavailable', `${res.url.host} answered the range request for ${what} with an unexpected range`), Rank.Status);
            }
          } else {
            skip = offset;
          }
        }
        const encoded = res.headers['content-encoding'] !== undefined && res.headers['content-encoding'].toLowerCase() !== 'identity';
        if (encoded && offset > 0) {
          res.body.destroy();
          throw ranked(new ImagedError('Unavailable', `${res.url.host} compressed a range of ${what}; cannot resume it`), Rank.Status);
        }
        return blobStream({ body: decodedBody(res, what), url: res.url, digest, size: desc.size, offset, skip, stallTimeoutMs, verifyDigest });
      };
      for (const u of desc.urls ?? []) {
        let url: URL;
        try {
          url = new URL(u);
        } catch {
          continue;
        }
        if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
        const what = `blob ${digest} from ${url.host}`;
        try {
          const res = await transport.send({
            method: 'GET',
            url,
            headers: { accept: `${desc.mediaType}, */*`, 'accept-encoding': 'identity', 'user-agent': ctx.userAgent, ...headers },
            tls: { skipVerify: false },
            ...(opts.signal === undefined ? {} : { signal: opts.signal }),
          });
          if (res.status < 200 || res.status > 299) await failStatus(res, what);
          return await started(res, what);
        } catch (err) {
          checkFatal(err, opts.signal);
          picker.add(err);
        }
      }
      if (endpoints.length === 0) throw picker.best() ?? noEndpoints();
      for (const [i, ep] of endpoints.entries()) {
        try {
          const { res, what } = await open(ep, desc, digest, headers, i === endpoints.length - 1, opts.signal);
          return await started(res, what);
        } catch (err) {
          checkFatal(err, opts.signal);
          picker.add(err);
        }
      }
      throw picker.best();
    }

    return { reference, endpoints, fetchManifest, fetchBlob };
  }

  return {
    resolve,
    fetcher,
    close() {
      if (options.transport === undefined) transport.close();
    },
  };
}
