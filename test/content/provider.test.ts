/** The Provider reads only what a namespace sees and never hands out a corrupt blob as good. */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { blobPath } from '../../src/content/local/paths.js';
import { ImagedError } from '../../src/errdefs/index.js';
import { createEventBus } from '../../src/events/index.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { tempDir } from '../support/temp-dir.js';

let storage: Storage;
beforeEach(async () => {
  storage = await openStorage(tempDir(), createEventBus(), () => {}, { mutationThreshold: 1e9, delayMs: 1e9, startupDelayMs: 1e9, intervalMs: 0 });
});
afterEach(async () => storage.close());

const put = async (ns: string, bytes: Buffer) => {
  const w = await storage.metadata.content.writer(ns, `ref-${Math.random()}`);
  await w.write(bytes);
  return w.commit(bytes.length, '', {});
};
const kind = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof ImagedError ? e.kind : String(e)));

test('readBlob returns verified bytes, enforces the size cap and the namespace', async () => {
  const bytes = Buffer.from('{"schemaVersion":2}');
  const info = await put('a', bytes);
  const provider = storage.metadata.content.provider('a');
  expect(Buffer.from(await provider.readBlob(info, 1024)).toString()).toBe(bytes.toString());
  expect(await kind(provider.readBlob(info, 4))).toBe('ResourceExhausted');
  expect(await kind(storage.metadata.content.provider('b').readBlob(info, 1024))).toBe('NotFound');
  expect(await kind(provider.readBlob({ digest: info.digest, size: info.size + 1 }, 1024))).toBe('FailedPrecondition');
});

test('a blob whose bytes changed on disk is reported as corrupt, naming both digests', async () => {
  const bytes = Buffer.from('{"config":{}}');
  const info = await put('a', bytes);
  const path = blobPath(storage.local.paths, info.digest);
  const tampered = Buffer.from(readFileSync(path));
  tampered[2] = 0x21;
  chmodSync(path, 0o644);
  writeFileSync(path, tampered);
  const actual = `sha256:${createHash('sha256').update(tampered).digest('hex')}`;
  await expect(storage.metadata.content.provider('a').readBlob(info, 1024)).rejects.toThrow(
    `blob ${info.digest} is corrupt: expected ${bytes.length} bytes with that digest, found ${bytes.length} bytes with digest ${actual}`,
  );
  expect(await storage.local.actualDigest(info.digest)).toBe(actual);
});
