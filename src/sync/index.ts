export { SharedExclusiveLock } from './shared-lock.js';
export { TimeSlice, yieldToIo } from './yield-to-io.js';
