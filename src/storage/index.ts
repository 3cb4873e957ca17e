export type { Storage } from './open-storage.js';
export { openStorage, DEFAULT_GC_SCHEDULE } from './open-storage.js';
export { contentUsage } from './content-usage.js';
