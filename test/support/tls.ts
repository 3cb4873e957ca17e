/** Throwaway certificates made with the `openssl` CLI: a test CA, a 127.0.0.1/localhost server certificate, self-signed signers. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its private key, as files and as PEM text. */
export interface CertPair {
  /** Path of the PEM certificate. */
  readonly certPath: string;
  /** Path of the PEM (PKCS#8) private key. */
  readonly keyPath: string;
  /** The certificate, PEM. */
  readonly certPem: string;
  /** The private key, PEM. */
  readonly keyPem: string;
}

/** A test CA and a server certificate it signed for IP:127.0.0.1 and DNS:localhost. */
export interface TestPki {
  /** The directory everything was written to (the caller removes it). */
  readonly dir: string;
  /** The self-signed CA. */
  readonly ca: CertPair;
  /** The server certificate (signed by `ca`) and its key. */
  readonly server: CertPair;
  /** A directory holding only `ca.crt`: pass it as skopeo's `--dest-cert-dir` / containerd's hosts.toml `ca`. */
  readonly certDir: string;
}

const DAYS = '30';

const openssl = (args: readonly string[], cwd: string): void => {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args.join(' ')} failed: ${stderr || String(err)}`);
  }
};

const pair = (dir: string, name: string): CertPair => {
  const certPath = join(dir, `${name}.crt`);
  const keyPath = join(dir, `${name}.key`);
  return { certPath, keyPath, certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
};

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'] as const;

/** Writes a self-signed EC P-256 certificate `NAME.crt` + `NAME.key` into `dir`; `ca` adds CA basic constraints. */
export function selfSignedCert(dir: string, name: string, commonName: string, options: { ca?: boolean } = {}): CertPair {
  const ext = options.ca
    ? ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']
    : ['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature'];
  openssl(
    ['req', '-x509', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', DAYS, '-subj', `/CN=${commonName}`, ...ext],
    dir,
  );
  return pair(dir, name);
}

/** Writes `NAME.crt` + `NAME.key` into `dir`: a certificate for `commonName` signed by `ca`, with extra extension lines. */
function issueCert(dir: string, ca: CertPair, name: string, commonName: string, extensions: readonly string[]): CertPair {
  openssl(['req', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`], dir);
  writeFileSync(join(dir, `${name}.ext`), ['basicConstraints=critical,CA:FALSE', ...extensions, ''].join('\n'));
  openssl(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', ca.certPath, '-CAkey', ca.keyPath, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', DAYS, '-extfile', `${name}.ext`, '-out', `${name}.crt`],
    dir,
  );
  return pair(dir, name);
}

/** Writes a client certificate `NAME.crt` + `NAME.key` (extended key usage clientAuth) signed by `ca` into `dir`. */
export const issueClientCert = (dir: string, ca: CertPair, name: string, commonName: string): CertPair =>
  issueCert(dir, ca, name, commonName, ['keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth']);

/** Makes a throwaway CA and a server certificate for 127.0.0.1/localhost in `dir` (a new temp dir by default). */
export function createTestPki(dir: string = mkdtempSync(join(tmpdir(), 'imaged-pki-'))): TestPki {
  const ca = selfSignedCert(dir, 'ca', 'imaged test CA', { ca: true });
  const server = issueCert(dir, ca, 'server', '127.0.0.1', [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
  ]);
  const certDir = join(dir, 'certs.d');
  mkdirSync(certDir);
  writeFileSync(join(certDir, 'ca.crt'), ca.certPem);
  return { dir, ca, server, certDir };
}
