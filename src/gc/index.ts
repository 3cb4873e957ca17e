export {
  LABEL_GC_ROOT,
  LABEL_GC_REF_CONTENT,
  LABEL_GC_EXPIRE,
  LABEL_GC_FLAT,
  contentReferences,
  isExpired,
} from './labels.js';
export type { NamespaceSnapshot, Garbage } from './mark.js';
export { findGarbage } from './mark.js';
export type { GcResult, CollectorParts } from './collector.js';
export { createCollector } from './collector.js';
export type { GcScheduler, GcSchedule } from './scheduler.js';
export { createGcScheduler } from './scheduler.js';
