/** CRI PullImage from Debian's registry (plain HTTP via hosts.toml, and basic auth over TLS). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServiceClient } from '../../src/client/index.js';
import { ImageService } from '../../gen/runtime/v1/api_pb.js';
import { ctrOk } from '../support/ctr.js';
import { clientsFor, codeOf, inNamespace, messageOf } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { buildImage, buildMultiArch, rootDescriptor, writeOciLayout } from '../support/oci-fixture.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { startTokenServer, type TokenServer } from '../support/token-server.js';
import { pushOciLayout } from '../support/skopeo.js';
import { createTestPki } from '../support/tls.js';
import { tempDir } from '../support/temp-dir.js';

let daemon: ImagedProcess;
let plain: Registry;
let secure: Registry;
let tokenRegistry: Registry;
let tokens: TokenServer;
let cri: ReturnType<typeof createServiceClient<(typeof ImageService)['method']>>;
let clients: ReturnType<typeof clientsFor>;
const multi = buildMultiArch({ layers: [{ randomBytes: 400_000 }, { files: { 'etc/os': 'test' } }], config: { user: '65534' } });
const single = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 100_000 }] });
/** Digest of `single` as pushed in Docker schema2 form (skopeo converts the manifest). */
let schema2Digest = '';
const dedup = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 2_000_000 }, { randomBytes: 1_000_000 }] });
const big = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 100 << 20 }] });

beforeAll(async () => {
  plain = await startRegistry();
  const pki = createTestPki(tempDir());
  secure = await startRegistry({ tls: { cert: pki.server.certPath, key: pki.server.keyPath }, auth: { htpasswd: { user: 'puller', password: 's3cret-pw' } } });
  tokens = await startTokenServer({ credentials: { user: 'robot', password: 't0ken-pw' } });
  tokenRegistry = await startRegistry({ auth: { token: tokens } });
  const layout = join(tempDir(), 'layout');
  writeOciLayout(layout, { multi: multi.index, single, big, dedup });
  await pushOciLayout(layout, 'single', tokenRegistry.host, 'bearer/app', { creds: 'robot:t0ken-pw' });
  await pushOciLayout(layout, 'multi', plain.host, 'team/multi', { all: true });
  schema2Digest = (await pushOciLayout(layout, 'single', plain.host, 'team/single', { format: 'v2s2' })).digest;
  await pushOciLayout(layout, 'big', plain.host, 'team/big');
  await pushOciLayout(layout, 'dedup', plain.host, 'team/dedup');
  await pushOciLayout(layout, 'single', secure.host, 'private/app', { creds: 'puller:s3cret-pw', certDir: pki.certDir });
  const certs = join(tempDir(), 'certs.d');
  mkdirSync(join(certs, plain.host.replace(':', '_')), { recursive: true });
  writeFileSync(join(certs, plain.host.replace(':', '_'), 'hosts.toml'), `server = "http://${plain.host}"\n`);
  mkdirSync(join(certs, tokenRegistry.host.replace(':', '_')), { recursive: true });
  writeFileSync(join(certs, tokenRegistry.host.replace(':', '_'), 'hosts.toml'), `server = "http://${tokenRegistry.host}"\n`);
  mkdirSync(join(certs, secure.host.replace(':', '_')), { recursive: true });
  writeFileSync(join(certs, secure.host.replace(':', '_'), 'hosts.toml'), `server = "https://${secure.host}"\n[host."https://${secure.host}"]\n  ca = "${pki.ca.certPath}"\n`);
  // Registry and pinned-image settings come from a configuration file, as an operator would set them.
  const configFile = join(tempDir(), 'config.toml');
  writeFileSync(
    configFile,
    `version = 1\n[cri]\npinned_images = ["${plain.host}/team/single:single", "${plain.host}/team/ded*:*"]\n[cri.registry]\nconfig_path = "${certs}"\n`,
  );
  daemon = await startImaged({ args: ['--config', configFile] });
  cri = createServiceClient(ImageService, daemon.socket);
  clients = clientsFor(daemon.socket);
});
afterAll(async () => {
  cri.close();
  clients.close();
  await daemon.stop();
  await plain.stop();
  await secure.stop();
  await tokenRegistry.stop();
  await tokens.stop();
});

test('pulls a multi-arch index: image_ref is the config digest, references as containerd records them', async () => {
  const ref = `${plain.host}/team/multi:multi`;
  const { imageRef } = await cri.pullImage({ image: { image: ref } });
  const amd64 = multi.images.amd64;
  expect(imageRef).toBe(amd64.config.descriptor.digest);
  const { image } = await cri.imageStatus({ image: { image: ref } });
  expect(image?.id).toBe(imageRef);
  expect(image?.repoTags).toEqual([ref]);
  expect(image?.repoDigests).toEqual([`${plain.host}/team/multi@${rootDescriptor(multi.index).digest}`]);
  expect(image?.uid?.value).toBe(65534n);
  expect(image?.pinned).toBe(false);
  const names = (await ctrOk(daemon.socket, 'k8s.io', 'images', 'ls', '-q')).split('\n').filter(Boolean);
  expect(names).toEqual(expect.arrayContaining([ref, imageRef, `${plain.host}/team/multi@${rootDescriptor(multi.index).digest}`]));
  // Only this platform's manifest and layers were fetched; the index carries the gc labels.
  const { info } = await clients.content.info({ digest: rootDescriptor(multi.index).digest }, inNamespace('k8s.io'));
  expect(info?.labels['containerd.io/gc.ref.content.m.0']).toBe(amd64.manifest.descriptor.digest);
  expect(await codeOf(clients.content.info({ digest: multi.images.arm64.layers[0]!.descriptor.digest }, inNamespace('k8s.io')))).toBe('NOT_FOUND');
  // The pull's lease is gone; the image alone keeps the content.
  expect((await clients.leases.list({}, inNamespace('k8s.io'))).leases).toEqual([]);
});

test('pulls a Docker schema2 image by digest, and 20 concurrent pulls of one image all succeed', async () => {
  expect(schema2Digest).not.toBe(single.manifest.descriptor.digest);
  const byDigest = `${plain.host}/team/single@${schema2Digest}`;
  const { imageRef } = await cri.pullImage({ image: { image: byDigest } });
  expect(imageRef).toBe(single.config.descriptor.digest);
  const refs = await Promise.all(Array.from({ length: 20 }, () => cri.pullImage({ image: { image: `${plain.host}/team/single:single` } })));
  expect(new Set(refs.map((r) => r.imageRef))).toEqual(new Set([single.config.descriptor.digest]));
  // Configured as pinned (cri.pinned_images): the tag pulled marks the image pinned.
  expect((await cri.imageStatus({ image: { image: `${plain.host}/team/single:single` } })).image?.pinned).toBe(true);
});

test('20 concurrent pulls of a new image fetch each blob from the registry once', async () => {
  const refs = await Promise.all(Array.from({ length: 20 }, () => cri.pullImage({ image: { image: `${plain.host}/team/dedup:dedup` } })));
  expect(new Set(refs.map((r) => r.imageRef))).toEqual(new Set([dedup.config.descriptor.digest]));
  const blobGets = (digest: string) =>
    plain.logs().split('\n').filter((l) => l.includes('response completed') && l.includes('http.request.method=GET') && l.includes(`/v2/team/dedup/blobs/${digest}`)).length;
  for (const blob of [dedup.config, ...dedup.layers]) expect(blobGets(blob.descriptor.digest)).toBe(1);
  // Pinned by the pattern `HOST/team/ded*:*` of the configuration file.
  expect((await cri.imageStatus({ image: { image: `${plain.host}/team/dedup:dedup` } })).image?.pinned).toBe(true);
});

test('a 100 MiB layer arrives intact', async () => {
  const { imageRef } = await cri.pullImage({ image: { image: `${plain.host}/team/big:big` } });
  expect(imageRef).toBe(big.config.descriptor.digest);
  const { info } = await clients.content.info({ digest: big.layers[0]!.descriptor.digest }, inNamespace('k8s.io'));
  expect(info?.size).toBe(BigInt(big.layers[0]!.descriptor.size));
});

test('basic auth over TLS with the CRI AuthConfig; wrong password is refused without echoing it', async () => {
  const image = { image: `${secure.host}/private/app:single` };
  const bad = cri.pullImage({ image, auth: { username: 'puller', password: 'wrong-pw' } });
  expect(await codeOf(bad)).toBe('PERMISSION_DENIED');
  expect(await messageOf(cri.pullImage({ image, auth: { username: 'puller', password: 'wrong-pw' } }))).not.toContain('wrong-pw');
  const { imageRef } = await cri.pullImage({ image, auth: { username: 'puller', password: 's3cret-pw', serverAddress: secure.host } });
  expect(imageRef).toBe(single.config.descriptor.digest);
});

test('bearer token auth: credentials from AuthConfig (also base64 auth), anonymous refused', async () => {
  const image = { image: `${tokenRegistry.host}/bearer/app:single` };
  expect(await codeOf(cri.pullImage({ image }))).toBe('PERMISSION_DENIED');
  const { imageRef } = await cri.pullImage({ image, auth: { username: 'robot', password: 't0ken-pw' } });
  expect(imageRef).toBe(single.config.descriptor.digest);
  await cri.removeImage({ image });
  const auth = Buffer.from('robot:t0ken-pw').toString('base64');
  expect((await cri.pullImage({ image, auth: { auth } })).imageRef).toBe(single.config.descriptor.digest);
  expect(tokens.requests().some((r) => r.user === 'robot' && r.status === 200)).toBe(true);
});

test('bad input: empty or malformed reference, unknown repository, unreachable host', async () => {
  expect(await codeOf(cri.pullImage({ image: { image: '' } }))).toBe('INVALID_ARGUMENT');
  expect(await codeOf(cri.pullImage({ image: { image: 'Not A Ref' } }))).toBe('INVALID_ARGUMENT');
  expect(await codeOf(cri.pullImage({ image: { image: `${plain.host}/team/nope:1` } }))).toBe('NOT_FOUND');
  expect(await codeOf(cri.pullImage({ image: { image: '127.0.0.1:1/x/y:1' } }))).toBe('UNAVAILABLE');
});

test('SIGKILL during a pull; after a restart the pull completes, reusing finished blobs and resuming the partial one', async () => {
  const image = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 500_000 }, { randomBytes: 80 << 20 }] });
  const layout = join(tempDir(), 'crash-layout');
  writeOciLayout(layout, { crash: image });
  await pushOciLayout(layout, 'crash', plain.host, 'team/crash');
  const ref = `${plain.host}/team/crash:crash`;
  const first = cri.pullImage({ image: { image: ref } }).catch(() => 'killed');
  const [small, large] = image.layers;
  for (let i = 0; i < 2000; i++) {
    const { statuses } = await clients.content.listStatuses({}, inNamespace('k8s.io'));
    if (statuses.some((s) => s.expected === large!.descriptor.digest && s.offset > BigInt(8 << 20))) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  await daemon.kill();
  expect(await first).toBe('killed');
  cri.close();
  clients.close();
  daemon = await startImaged({ root: daemon.root, args: daemon.args });
  cri = createServiceClient(ImageService, daemon.socket);
  clients = clientsFor(daemon.socket);
  const { imageRef } = await cri.pullImage({ image: { image: ref } });
  expect(imageRef).toBe(image.config.descriptor.digest);
  const gets = (digest: string) =>
    plain.logs().split('\n').filter((l) => l.includes('response completed') && l.includes('http.request.method=GET') && l.includes(`/v2/team/crash/blobs/${digest}`)).length;
  expect(gets(small!.descriptor.digest)).toBe(1);
  expect(gets(large!.descriptor.digest)).toBe(2);
  const { info } = await clients.content.info({ digest: large!.descriptor.digest }, inNamespace('k8s.io'));
  expect(info?.size).toBe(BigInt(large!.descriptor.size));
});
