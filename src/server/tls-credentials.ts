/**
 * TLS for the TCP listener from PEM files: a certificate chain and its key, and optionally a CA
 * bundle client certificates must chain to (mutual TLS). Files are read and checked at start, so a
 * bad path or a mismatched key fails there with the file named, not on the first connection.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ServerCredentials } from '@grpc/grpc-js';
import { invalidArgument } from '../errdefs/index.js';

/** The PEM files of a TLS listener. */
export interface TlsFiles {
  /** The server certificate (chain), PEM. */
  readonly cert: string;
  /** The private key of `cert`, PEM. */
  readonly key: string;
  /** CA certificates, PEM: when set, clients must present a certificate signed by one of them. */
  readonly clientCa?: string;
}

/** Reads `path` and parses it with `parse`; InvalidArgument naming the file and the flag when either fails. */
function readPem<T>(path: string, flag: string, parse: (pem: Buffer) => T): { readonly pem: Buffer; readonly value: T } {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (err) {
    throw invalidArgument(`${flag} ${path}: cannot read it: ${(err as Error).message}`, err);
  }
  try {
    return { pem, value: parse(pem) };
  } catch (err) {
    throw invalidArgument(`${flag} ${path}: not valid PEM: ${(err as Error).message}`, err);
  }
}

/** Server credentials for `files`, after checking that each file parses and the key belongs to the certificate. */
export function serverTlsCredentials(files: TlsFiles): ServerCredentials {
  const cert = readPem(files.cert, '--tls-cert', (pem) => new X509Certificate(pem));
  const key = readPem<KeyObject>(files.key, '--tls-key', (pem) => createPrivateKey(pem));
  if (!cert.value.checkPrivateKey(key.value)) {
    throw invalidArgument(`--tls-key ${files.key} is not the private key of the certificate in --tls-cert ${files.cert}`);
  }
  const keyCertPairs = [{ cert_chain: cert.pem, private_key: key.pem }];
  if (files.clientCa === undefined) return ServerCredentials.createSsl(null, keyCertPairs, false);
  const ca = readPem(files.clientCa, '--tls-client-ca', (pem) => new X509Certificate(pem));
  return ServerCredentials.createSsl(ca.pem, keyCertPairs, true);
}
