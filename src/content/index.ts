export type { Descriptor, StringMap } from './descriptor.js';
export type { Info, ReaderAt, Provider } from './provider.js';
