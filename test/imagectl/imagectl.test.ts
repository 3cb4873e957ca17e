/** The built imagectl against a real daemon and Debian's registry: every command, formats, exit codes. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { humanSize } from '../../src/imagectl/format/index.js';
import { clientsFor, inNamespace } from '../support/clients.js';
import { startImaged } from '../support/daemon.js';
import type { ImagedProcess } from '../support/imaged-process.js';
import { imagectl as run, spawnImagectl, type ImagectlResult } from '../support/imagectl.js';
import { buildImage, writeOciLayout } from '../support/oci-fixture.js';
import { startRegistry, type Registry } from '../support/registry.js';
import { pushOciLayout } from '../support/skopeo.js';
import { tempDir } from '../support/temp-dir.js';
import { hostsDir } from '../pull/support.js';
import { readPackageInfo } from '../../src/cli/package-info.js';

const image = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 1_500_000 }, { files: { 'etc/motd': 'hello' } }], config: { user: '1000' } });
const blobs = [image.manifest, image.config, ...image.layers].map((b) => b.descriptor);
const imageBytes = blobs.reduce((sum, d) => sum + d.size, 0);
const ID = image.config.descriptor.digest;
const second = buildImage({ platform: 'linux/amd64', layers: [{ randomBytes: 4_000_000 }] });
let registry: Registry;
let daemon: ImagedProcess;
let clients: ReturnType<typeof clientsFor>;
let ref = '';
/** Runs imagectl against the test daemon. */
const imagectl = (...args: string[]): Promise<ImagectlResult> => run(['--address', daemon.socket, ...args]);
/** Runs imagectl and fails the test (with its stderr) unless it exits 0. */
const ok = async (...args: string[]): Promise<string> => {
  const r = await imagectl(...args);
  if (r.code !== 0) throw new Error(`imagectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
};
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

beforeAll(async () => {
  registry = await startRegistry();
  const layout = join(tempDir(), 'layout');
  writeOciLayout(layout, { app: image, second });
  await pushOciLayout(layout, 'app', registry.host, 'team/app');
  await pushOciLayout(layout, 'second', registry.host, 'team/second');
  ref = `${registry.host}/team/app:app`;
  const certs = hostsDir(registry.host.replace(':', '_'), `server = "http://${registry.host}"\n`);
  daemon = await startImaged({ args: ['--registry-config-dir', certs] });
  clients = clientsFor(daemon.socket);
});
afterAll(async () => {
  clients.close();
  await daemon.stop();
  await registry.stop();
});

describe('pull', () => {
  test('not on a terminal: one line per blob as it completes, the image ID last', async () => {
    const r = await imagectl('pull', ref);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out.at(-1)).toBe(ID);
    for (const blob of image.layers) {
      expect(out).toContainEqual(expect.stringMatching(new RegExp(`^layer +${blob.descriptor.digest.slice(0, 19)}  done  ${humanSize(blob.descriptor.size).replace('.', '\\.')}$`)));
    }
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^config +${ID.slice(0, 19)}  done`)));
    expect(out.some((l) => l.includes('\x1b['))).toBe(false);
    // Pulled again: every blob is already there.
    const again = lines(await ok('pull', ref));
    expect(again.at(-1)).toBe(ID);
    expect(again.filter((l) => l.includes('  exists  '))).toHaveLength(blobs.length);
  });

  test('failures: unknown repository (1), bad --user or -n (2), credentials never echoed', async () => {
    const missing = await imagectl('pull', `${registry.host}/team/none:1`);
    expect(missing.code).toBe(1);
    expect(lines(missing.stderr)).toEqual([expect.stringMatching(/^imagectl: not found: .*team\/none/)]);
    const user = await imagectl('pull', '--user', 'only-a-name-s3cret', ref);
    expect(user.code).toBe(2);
    expect(user.stderr).not.toContain('s3cret');
    expect((await imagectl('-n', 'default', 'pull', ref)).code).toBe(2);
    expect((await imagectl('pull', 'Not A Ref')).code).toBe(2);
  });
});

describe('images', () => {
  test('CRI view like crictl: IMAGE, TAG, IMAGE ID (13), SIZE; aliases; -q; json; yaml; --filter', async () => {
    const table = await ok('images', 'ls');
    expect(lines(table)).toEqual([
      expect.stringMatching(/^IMAGE +TAG +IMAGE ID +SIZE$/),
      expect.stringMatching(new RegExp(`^${registry.host}/team/app +app +${ID.slice(7, 20)} +${humanSize(imageBytes).replace('.', '\\.')}$`)),
    ]);
    expect(lines(table)[0]!.indexOf('TAG')).toBe(lines(table)[1]!.indexOf(' app ') + 1);
    expect(await ok('images')).toBe(table);
    expect(await ok('images', 'list')).toBe(table);
    expect(await ok('images', '-q')).toBe(`${ID}\n`);
    const json = JSON.parse(await ok('images', '--output', 'json')) as { images: { id: string; repoTags: string[]; size: string }[] };
    expect(json.images).toEqual([expect.objectContaining({ id: ID, repoTags: [ref], size: String(imageBytes) })]);
    expect(parseYaml(await ok('images', '-o', 'yaml'))).toEqual(json);
    expect(await ok('images', '--filter', ref, '-q')).toBe(`${ID}\n`);
    expect(lines(await ok('images', '--filter', 'docker.io/library/other:1'))).toHaveLength(1);
    expect((await imagectl('images', '--filter', 'a', '--filter', 'b')).code).toBe(2);
  });

  test('with -n: image records through Images.List: REF, DIGEST, SIZE, CREATED; containerd filters', async () => {
    const out = lines(await ok('-n', 'k8s.io', 'images', 'ls'));
    expect(out[0]).toMatch(/^REF +DIGEST +SIZE +CREATED$/);
    const row = out.find((l) => l.startsWith(`${ref} `));
    expect(row).toMatch(new RegExp(` ${image.manifest.descriptor.digest} +${humanSize(imageBytes).replace('.', '\\.')} +(Less than a second|\\d+ seconds|1 second) ago$`));
    expect(lines(await ok('-n', 'k8s.io', 'images', '-q')).sort()).toEqual([ID, `${registry.host}/team/app@${image.manifest.descriptor.digest}`, ref].sort());
    expect(await ok('-n', 'k8s.io', 'images', '-q', '--filter', `name==${JSON.stringify(ref)}`)).toBe(`${ref}\n`);
    const bad = await imagectl('-n', 'k8s.io', 'images', '--filter', 'name==');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^imagectl: invalid argument: /);
  });
});

describe('inspect', () => {
  test('CRI status with info, and with -n the record, manifest, config and size', async () => {
    const cri = JSON.parse(await ok('inspect', ref)) as { status: { id: string }; info: { info: { chainID: string } } };
    expect(cri.status).toEqual(expect.objectContaining({ id: ID, uid: { value: '1000' }, repoTags: [ref] }));
    expect(cri.info.info.chainID).toMatch(/^sha256:/);
    const record = JSON.parse(await ok('-n', 'k8s.io', 'inspect', ref)) as Record<string, { [k: string]: unknown }>;
    expect(record['image']).toEqual(expect.objectContaining({ name: ref }));
    expect(record['manifest']).toEqual(expect.objectContaining({ digest: image.manifest.descriptor.digest }));
    expect(record['manifest']!['layers']).toHaveLength(2);
    expect(record['config']).toEqual(expect.objectContaining({ digest: ID }));
    expect(record['size']).toBe(imageBytes);
    expect(parseYaml(await ok('-n', 'k8s.io', 'inspect', ref, '-o', 'yaml'))).toEqual(record);
    const missing = await imagectl('inspect', 'nope:1');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('imagectl: not found: image "nope:1" not found (CRI, namespace k8s.io)\n');
    expect((await imagectl('-n', 'k8s.io', 'inspect', 'nope:1')).stderr).toBe('imagectl: not found: image "nope:1" not found\n');
  });
});

describe('tag, label, rm', () => {
  test('tag copies the target, --force replaces; label sets and removes; rm deletes and reports each failure', async () => {
    expect(await ok('-n', 'k8s.io', 'tag', ref, 'example.com/copy:1')).toBe('example.com/copy:1\n');
    expect(await ok('-n', 'k8s.io', 'images', '-q', '--filter', 'name==example.com/copy:1')).toBe('example.com/copy:1\n');
    const again = await imagectl('-n', 'k8s.io', 'tag', ref, 'example.com/copy:1');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^imagectl: already exists: /);
    expect((await imagectl('-n', 'k8s.io', 'tag', '--force', ref, 'example.com/copy:1')).code).toBe(0);
    // The CRI view merges both names into one image: a row per tag.
    expect(lines(await ok('images', '--filter', 'example.com/copy:1'))).toContainEqual(expect.stringMatching(new RegExp(`^example\\.com/copy +1 +${ID.slice(7, 20)} `)));

    // tag copied the source's labels (CRI's managed marker) too.
    const managed = 'io.cri-containerd.image=managed\n';
    expect(await ok('-n', 'k8s.io', 'label', 'example.com/copy:1', 'team=blue', 'tier=web')).toBe(`${managed}team=blue\ntier=web\n`);
    expect(await ok('-n', 'k8s.io', 'label', 'example.com/copy:1', 'team=')).toBe(`${managed}tier=web\n`);
    expect((await imagectl('-n', 'k8s.io', 'label', 'example.com/copy:1', 'novalue')).code).toBe(2);

    const rm = await imagectl('-n', 'k8s.io', 'rm', 'example.com/missing:1', 'example.com/copy:1');
    expect(rm.code).toBe(1);
    expect(rm.stdout).toBe('Deleted: example.com/copy:1\n');
    expect(rm.stderr).toBe('imagectl: not found: image "example.com/missing:1" not found\n');
  });
});

describe('content and leases', () => {
  test('content ls (table, -q, json, filter), get (raw bytes), rm', async () => {
    const table = lines(await ok('-n', 'k8s.io', 'content', 'ls'));
    expect(table[0]).toMatch(/^DIGEST +SIZE +AGE +LABELS$/);
    const layer = image.layers[0]!.descriptor;
    expect(table).toContainEqual(expect.stringMatching(new RegExp(`^${layer.digest} +${humanSize(layer.size).replace('.', '\\.')} +.* ago`)));
    expect(lines(await ok('-n', 'k8s.io', 'content', 'ls', '-q')).sort()).toEqual(blobs.map((b) => b.digest).sort());
    const json = JSON.parse(await ok('-n', 'k8s.io', 'content', 'list', '-o', 'json')) as { content: { digest: string; size: string }[] };
    expect(json.content.find((c) => c.digest === layer.digest)?.size).toBe(String(layer.size));
    const roots = await ok('-n', 'k8s.io', 'content', 'ls', '-q', '--filter', `labels."containerd.io/gc.ref.content.config"==${ID}`);
    expect(roots).toBe(`${image.manifest.descriptor.digest}\n`);
    const got = await imagectl('-n', 'k8s.io', 'content', 'get', layer.digest);
    expect(got.code).toBe(0);
    expect(Buffer.compare(got.bytes, Buffer.from(image.layers[0]!.bytes))).toBe(0);
    const unknown = `sha256:${'0'.repeat(64)}`;
    expect((await imagectl('-n', 'k8s.io', 'content', 'get', unknown)).stderr).toBe(`imagectl: not found: content ${unknown} not found\n`);
    const rm = await imagectl('content', 'rm', unknown);
    expect(rm.code).toBe(1);
  });

  test('leases ls: ID, CREATED AT, LABELS; -q; yaml; filter', async () => {
    await clients.leases.create({ id: 'build-1', labels: { purpose: 'test' } }, inNamespace('work'));
    await clients.leases.create({ id: 'build-2' }, inNamespace('work'));
    const table = lines(await ok('-n', 'work', 'leases', 'ls'));
    expect(table[0]).toMatch(/^ID +CREATED AT +LABELS$/);
    expect(table).toContainEqual(expect.stringMatching(/^build-1 +\d{4}-\d\d-\d\dT[\d:.]+Z +purpose=test$/));
    expect(await ok('-n', 'work', 'leases', 'ls', '-q', '--filter', 'id==build-2')).toBe('build-2\n');
    const yaml = parseYaml(await ok('-n', 'work', 'leases', 'ls', '-o', 'yaml')) as { leases: { id: string }[] };
    expect(yaml.leases.map((l) => l.id).sort()).toEqual(['build-1', 'build-2']);
    expect(await ok('leases', 'ls', '-q')).toBe('');
  });
});

describe('events, gc, info', () => {
  test('events follows matching events until interrupted, as lines or JSON', async () => {
    const target = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifest.descriptor.digest, size: BigInt(image.manifest.descriptor.size) };
    for (const output of ['table', 'json']) {
      const events = spawnImagectl(['--address', daemon.socket, 'events', '--filter', 'topic=="/images/create"', '--filter', 'namespace==evt', '-o', output]);
      for (let i = 0; !events.out().includes(`evt-${output}-`) && i < 100; i++) {
        await clients.images.create({ image: { name: `evt-${output}-${i}`, target } }, inNamespace('evt'));
        await new Promise((r) => setTimeout(r, 100));
      }
      await clients.images.delete({ name: 'gone' }, inNamespace('evt')).catch(() => undefined);
      events.child.kill('SIGINT');
      const code = await new Promise((r) => events.child.once('exit', r));
      expect(events.err()).toBe('');
      expect(code).toBe(0);
      const first = lines(events.out())[0]!;
      if (output === 'table') expect(first).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z evt \/images\/create \{"name":"evt-table-\d+"/);
      else expect(JSON.parse(first)).toEqual(expect.objectContaining({ namespace: 'evt', topic: '/images/create', type: 'containerd.services.images.v1.ImageCreate', event: expect.objectContaining({ name: expect.stringMatching(/^evt-json-/) }) }));
    }
  });

  test('gc collects what no image holds any more and reports blobs and bytes freed', async () => {
    for (const name of lines(await ok('-n', 'k8s.io', 'images', '-q'))) await ok('-n', 'k8s.io', 'rm', name);
    const before = JSON.parse(await ok('info', '-n', 'k8s.io', '-o', 'json')) as { blobs: number };
    expect(before.blobs).toBe(blobs.length);
    expect(await ok('gc')).toBe(`removed ${blobs.length} blobs, ${humanSize(imageBytes)} freed\n`);
    expect(JSON.parse(await ok('gc', '-o', 'json'))).toEqual({ removedBlobs: 0, freedBytes: 0, digests: [] });
  });

  test('info: version, data directories, counts (table, json); IMAGED_ADDRESS; daemon down', async () => {
    await clients.images.create({ image: { name: 'info-1', target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: ID, size: 1n } } }, inNamespace('inf'));
    const facts = JSON.parse(await ok('-n', 'inf', 'info', '-o', 'json')) as Record<string, unknown>;
    expect(facts).toEqual(
      expect.objectContaining({
        version: readPackageInfo(import.meta.url).version,
        contentRoot: join(daemon.root, 'content'),
        metadataPath: join(daemon.root, 'metadata'),
        namespace: 'inf',
        images: 1,
        blobs: 0,
        contentBytes: 0,
        leases: 0,
      }),
    );
    const table = await run(['-n', 'inf', 'info'], { IMAGED_ADDRESS: daemon.socket });
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^images: +1$/m);
    expect(table.stdout).toMatch(/^contentBytes: +0B \(0 bytes\)$/m);
    const down = await run(['info'], { IMAGED_ADDRESS: join(tempDir(), 'no.sock') });
    expect(down.code).toBe(1);
    expect(lines(down.stderr)).toEqual([expect.stringMatching(/^imagectl: unavailable: .*no\.sock/)]);
  });
});

test('usage errors exit 2 with one imagectl: line; --help and --version exit 0', async () => {
  for (const args of [['frobnicate'], ['images', '--bogus'], ['tag', 'only-one'], ['images', '-o', 'xml']]) {
    const r = await imagectl(...args);
    expect([args, r.code]).toEqual([args, 2]);
    expect(r.stderr).toMatch(/^imagectl: /);
  }
  const help = await imagectl('--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: imagectl /);
  expect(await ok('--version')).toBe(`${readPackageInfo(import.meta.url).version}\n`);
});

test('pull on a terminal (util-linux script gives it a pty): progress redrawn in place, the image ID last', async () => {
  const command = [process.execPath, join(process.cwd(), 'dist', 'imagectl.mjs'), '--address', daemon.socket, 'pull', `${registry.host}/team/second:second`];
  const out = await new Promise<string>((resolve, reject) =>
    execFile('script', ['-qec', `stty cols 150; ${command.join(' ')}`, '/dev/null'], { timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
  );
  expect(out).toContain('\x1b[2K');
  expect(out).toMatch(/\x1b\[\d+F/);
  expect(out).toMatch(new RegExp(`layer +${second.layers[0]!.descriptor.digest.slice(0, 19)} +done +4MB`));
  expect(out).toMatch(/total +\d/);
  expect(out.split(/\r?\n/).filter(Boolean).at(-1)).toBe(second.config.descriptor.digest);
});
