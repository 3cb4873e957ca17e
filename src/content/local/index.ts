export type { ContentPaths } from './paths.js';
export type { IngestStatus, WriterOptions } from './ingest-writer.js';
export { IngestWriter } from './ingest-writer.js';
export { LocalContentStore, READ_CHUNK } from './store.js';
