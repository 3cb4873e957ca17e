export { formatGoFloat } from './go-float.js';
export { humanSize } from './human-size.js';
export { humanDuration, timeAgo } from './relative-time.js';
export type { TableLayout } from './table.js';
export { renderTable } from './table.js';
export type { OutputFormat } from './output.js';
export { OUTPUT_FORMATS, renderStructured } from './output.js';
export { shortId } from './short-id.js';
export { shortDuration } from './short-duration.js';
