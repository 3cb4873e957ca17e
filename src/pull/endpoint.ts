/** One place a registry host's content can be fetched from, as hosts.toml describes it. */

/** What an endpoint may be used for: `pull` (fetch by digest), `resolve` (tag to digest), `push`. */
export type Capability = 'pull' | 'resolve' | 'push';

/** Every capability, in the order hosts.toml documents them. */
export const ALL_CAPABILITIES: readonly Capability[] = ['pull', 'resolve', 'push'];

/** A client certificate for mutual TLS: a PEM certificate file and its key file (absent when the certificate file holds the key). */
export interface ClientCertificate {
  /** Path of the PEM certificate (chain). */
  readonly cert: string;
  /** Path of the PEM private key; absent when `cert` holds it too. */
  readonly key?: string;
}

/** A registry endpoint in the order it is tried, with its TLS and header settings. */
export interface RegistryEndpoint {
  /** Base URL of the distribution API, path included (`https://registry-1.docker.io/v2`). */
  readonly url: string;
  /** Operations this endpoint is trusted with. */
  readonly capabilities: readonly Capability[];
  /** Accept any server certificate (hosts.toml `skip_verify`). */
  readonly skipVerify: boolean;
  /** Extra CA files trusted on top of the system roots (absolute paths). */
  readonly ca?: readonly string[];
  /** Client certificates offered to the server (absolute paths). */
  readonly clientCerts?: readonly ClientCertificate[];
  /** Headers sent with every request to this endpoint and its token server. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** The URL path is the API root as given (no `/v2` appended). */
  readonly overridePath: boolean;
  /** Longest wait for a TCP connection, in milliseconds (hosts.toml `dial_timeout`). */
  readonly dialTimeoutMs?: number;
  /** Try HTTPS first and switch to plain HTTP when the server answers in plain HTTP (an `http://` host with TLS settings). */
  readonly httpFallback: boolean;
}

/** Reports whether `endpoint` has every capability in `needed`. */
export const hasCapabilities = (endpoint: RegistryEndpoint, needed: readonly Capability[]): boolean =>
  needed.every((c) => endpoint.capabilities.includes(c));

/** `host[:port]` of an endpoint, as used for credentials and token caching. */
export const endpointHost = (endpoint: RegistryEndpoint): string => new URL(endpoint.url).host;
