export type { ImagectlEnvironment } from './program.js';
export { runImagectl } from './program.js';
