/**
 * The puller against a scripted registry: a layer whose bytes do not match its digest (the download
 * itself does not hash; the content commit does) fails the pull, and nothing of it becomes visible.
 */
import { createEventBus } from '../../src/events/index.js';
import { defaultPlatformMatcher } from '../../src/platforms/index.js';
import { createPuller, createRegistryClient } from '../../src/pull/index.js';
import { openStorage } from '../../src/storage/index.js';
import { buildImage } from '../support/oci-fixture.js';
import { tempDir } from '../support/temp-dir.js';
import { failure, startFake } from './support.js';

const image = buildImage({ layers: [{ randomBytes: 3 << 20 }] });
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

test('a layer that does not match its digest fails the pull at commit; it is not stored', async () => {
  const layer = image.layers[0]!;
  const wrong = Buffer.from(layer.bytes);
  wrong[wrong.length - 1] = (wrong[wrong.length - 1] ?? 0) ^ 0xff;
  const server = await startFake((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/v2/a/b/manifests/')) {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': image.manifest.descriptor.digest });
      return void res.end(req.method === 'HEAD' ? undefined : image.manifest.bytes);
    }
    const digest = path.slice('/v2/a/b/blobs/'.length);
    const bytes = digest === layer.descriptor.digest ? wrong : image.blobs.get(digest);
    if (bytes === undefined) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
  });
  const storage = await openStorage(tempDir('imaged-puller-'), createEventBus());
  const client = createRegistryClient({
    endpoints: async () => [{ url: `${server.url}/v2`, capabilities: ['pull', 'resolve'], skipVerify: false, headers: {}, overridePath: false, httpFallback: false }],
    retryDelayMs: 5,
  });
  try {
    const puller = createPuller({
      namespace: 'k8s.io',
      content: storage.metadata.content,
      leases: storage.metadata.leases,
      matcher: defaultPlatformMatcher(),
      maxConcurrentDownloads: 3,
    });
    const err = await failure(puller.pull(client, `${server.host}/a/b:v1`));
    expect(err.kind).toBe('FailedPrecondition');
    expect(err.message).toContain(`but ${layer.descriptor.digest} was expected`);
    expect(() => storage.metadata.content.info('k8s.io', layer.descriptor.digest)).toThrow(/not found/);
    expect(await storage.local.blobSize(layer.descriptor.digest)).toBeUndefined();
  } finally {
    client.close();
    await storage.close();
    await server.stop();
  }
});
