export type { Nanos } from './clock.js';
export { nowNanos, formatNanos } from './clock.js';
