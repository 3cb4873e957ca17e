import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImagedError } from '../../src/errdefs/index.js';
import { serverTlsCredentials } from '../../src/server/tls-credentials.js';
import { tempDir } from '../support/temp-dir.js';
import { createTestPki, selfSignedCert } from '../support/tls.js';

const pki = createTestPki(tempDir('imaged-pki-'));
const other = selfSignedCert(pki.dir, 'other', 'someone else');
const garbage = join(pki.dir, 'garbage.pem');
writeFileSync(garbage, '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
const missing = join(pki.dir, 'missing.pem');

const failure = (f: () => unknown): ImagedError => {
  try {
    f();
  } catch (err) {
    if (err instanceof ImagedError) return err;
    throw err;
  }
  throw new Error('expected an ImagedError');
};

test('valid files make credentials, with and without a client CA', () => {
  expect(serverTlsCredentials({ cert: pki.server.certPath, key: pki.server.keyPath })._isSecure()).toBe(true);
  expect(serverTlsCredentials({ cert: pki.server.certPath, key: pki.server.keyPath, clientCa: pki.ca.certPath })._isSecure()).toBe(true);
});

test.each([
  ['an unreadable certificate', { cert: missing, key: pki.server.keyPath }, `--tls-cert ${missing}: cannot read it: ENOENT`],
  ['an invalid certificate', { cert: garbage, key: pki.server.keyPath }, `--tls-cert ${garbage}: not valid PEM`],
  ['a certificate file holding a key', { cert: pki.server.keyPath, key: pki.server.keyPath }, `--tls-cert ${pki.server.keyPath}: not valid PEM`],
  ['an unreadable key', { cert: pki.server.certPath, key: missing }, `--tls-key ${missing}: cannot read it`],
  ['an invalid key', { cert: pki.server.certPath, key: garbage }, `--tls-key ${garbage}: not valid PEM`],
  ['a key of another certificate', { cert: pki.server.certPath, key: other.keyPath }, `--tls-key ${other.keyPath} is not the private key of the certificate in --tls-cert ${pki.server.certPath}`],
  ['an unreadable client CA', { cert: pki.server.certPath, key: pki.server.keyPath, clientCa: missing }, `--tls-client-ca ${missing}: cannot read it`],
  ['an invalid client CA', { cert: pki.server.certPath, key: pki.server.keyPath, clientCa: garbage }, `--tls-client-ca ${garbage}: not valid PEM`],
])('%s is InvalidArgument naming the file', (_name, files, message) => {
  const err = failure(() => serverTlsCredentials(files));
  expect(err.kind).toBe('InvalidArgument');
  expect(err.message).toContain(message);
});
