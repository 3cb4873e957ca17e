/** Registry credentials as the CRI passes them, and their normal form (containerd's username + secret). */
import { invalidArgument } from '../errdefs/index.js';

/** Credentials for one registry host: a user and password, Docker's base64 `auth`, or an identity (refresh) token. */
export type RegistryCredentials =
  | { readonly username: string; readonly password: string }
  | { readonly auth: string }
  | { readonly identityToken: string };

/** Finds the credentials for a registry host (`host[:port]` of the endpoint being contacted); undefined for anonymous. */
export type CredentialsLookup = (host: string) => RegistryCredentials | undefined | Promise<RegistryCredentials | undefined>;

/** containerd's form: an empty username with a secret means the secret is an identity token. */
export interface Secret {
  /** The user name ('' for an identity token). */
  readonly username: string;
  /** The password or identity token. */
  readonly secret: string;
}

/** Normalises credentials; a malformed `auth` fails with InvalidArgument that never quotes it. */
export function toSecret(creds: RegistryCredentials): Secret {
  if ('identityToken' in creds) return { username: '', secret: creds.identityToken };
  if ('username' in creds) return { username: creds.username, secret: creds.password };
  const text = creds.auth.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw invalidArgument('registry auth is not base64 of "user:password"');
  const decoded = Buffer.from(text, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidArgument('registry auth does not decode to "user:password" (no ":" found)');
  return { username: decoded.slice(0, colon), secret: decoded.slice(colon + 1).replace(/\0+$/, '') };
}
