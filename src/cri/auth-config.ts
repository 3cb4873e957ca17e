/** CRI AuthConfig → registry credentials, as containerd's CRI plugin reads them. */
import type { RegistryCredentials } from '../pull/index.js';

/** The AuthConfig fields CRI sends with PullImage. */
export interface AuthConfigFields {
  readonly username: string;
  readonly password: string;
  readonly auth: string;
  readonly serverAddress: string;
  readonly identityToken: string;
}

/** The host part of a server address such as `https://index.docker.io/v1/` or `registry:5000`. */
const hostOf = (address: string): string => address.replace(/^[a-z]+:\/\//i, '').split('/')[0] ?? '';

/**
 * The credentials `auth` gives for registry `host`: none when `server_address` names another host;
 * else username/password, else the identity token, else the base64 `auth` string.
 */
export function credentialsFor(auth: AuthConfigFields | undefined, host: string): RegistryCredentials | undefined {
  if (auth === undefined) return undefined;
  if (auth.serverAddress !== '') {
    const named = hostOf(auth.serverAddress);
    const dockerHub = (h: string) => h === 'docker.io' || h === 'index.docker.io' || h === 'registry-1.docker.io';
    if (named !== host && !(dockerHub(named) && dockerHub(host))) return undefined;
  }
  if (auth.username !== '') return { username: auth.username, password: auth.password };
  if (auth.identityToken !== '') return { identityToken: auth.identityToken };
  if (auth.auth !== '') return { auth: auth.auth };
  return undefined;
}
