export { parseGoDuration, formatGoDuration } from './go-duration.js';
