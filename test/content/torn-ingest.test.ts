/** An ingest whose meta.json was torn by a kill (older versions wrote it in place) still resumes and commits. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalContentStore } from '../../src/content/local/index.js';
import { ingestDir } from '../../src/content/local/paths.js';
import { tempDir } from '../support/temp-dir.js';

test('a torn meta.json reads as unknown settings; the next writer states them and commits', async () => {
  const store = await LocalContentStore.open(join(tempDir(), 'content'));
  const data = Buffer.from('hello, torn ingest');
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const first = await store.writer('torn', { total: data.length, expected: digest });
  await first.write(data.subarray(0, 5));
  await first.close();
  writeFileSync(join(ingestDir(store.paths, 'torn'), 'meta.json'), '{"total":18,"exp');

  expect(await store.ingestStatus('torn')).toMatchObject({ ref: 'torn', offset: 5, total: 0, expected: '' });
  const second = await store.writer('torn', { total: data.length, expected: digest });
  expect(second.status()).toMatchObject({ offset: 5, total: data.length, expected: digest });
  await second.write(data.subarray(5));
  expect(await second.commit(data.length)).toEqual({ digest, size: data.length });
});
