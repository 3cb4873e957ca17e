export type { Descriptor, StringMap } from './descriptor.js';
