export { SharedExclusiveLock } from './shared-lock.js';
