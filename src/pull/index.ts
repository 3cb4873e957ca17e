export type { Capability, ClientCertificate, RegistryEndpoint } from './endpoint.js';
export { ALL_CAPABILITIES, hasCapabilities, endpointHost } from './endpoint.js';
export type { EntryServer, HostEntry } from './hosts-toml.js';
export { parseHostsToml } from './hosts-toml.js';
export { DEFAULT_HOST_DIR, hostDirNames, findHostDir } from './host-dir.js';
export { isRegistryHost, splitHostPort, isLocalhost } from './host-name.js';
export type { HostsConfigOptions } from './hosts-config.js';
export { HOSTS_FILE, DOCKER_HUB, DOCKER_HUB_API_HOST, loadHostEntries, endpointsFromEntries, registryEndpoints } from './hosts-config.js';
export type { ImageReference } from './reference.js';
export { parseReference, pullScope } from './reference.js';
export type { RegistryCredentials, CredentialsLookup, Secret } from './credentials.js';
export { toSecret } from './credentials.js';
export type { Challenge } from './www-authenticate.js';
export { parseWwwAuthenticate } from './www-authenticate.js';
export type { TokenRequest, Token } from './token-fetch.js';
export { fetchToken } from './token-fetch.js';
export type { AuthTarget, ChallengeOutcome, Authorizer, AuthorizerOptions } from './auth.js';
export { createAuthorizer } from './auth.js';
export type { TlsSettings, HttpRequest, HttpResponse, HttpTransport, HttpTransportOptions } from './http-transport.js';
export { createHttpTransport } from './http-transport.js';
export { registryMessage } from './registry-errors.js';
export type { BlobStream } from './blob-stream.js';
export type {
  RegistryClientOptions,
  RequestOptions,
  FetchBlobOptions,
  RemoteDescriptor,
  ResolvedReference,
  Fetcher,
  RegistryClient,
} from './registry-client.js';
export { RESOLVE_ACCEPT, DEFAULT_PULL_PROGRESS_TIMEOUT_MS, createRegistryClient } from './registry-client.js';
export type { PullDestination, PulledImage, Puller } from './pull-image.js';
export { createPuller } from './pull-image.js';
export type { BlobState, BlobProgress, PullSnapshot, PullObserver, PullProgressTracker } from './pull-progress.js';
export { trackPull } from './pull-progress.js';
export type { PullMeter, PullMeasurement } from './pull-meter.js';
