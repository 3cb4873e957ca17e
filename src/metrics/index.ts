export type { MetricSources, ImagedMetrics } from './imaged-metrics.js';
export { createImagedMetrics } from './imaged-metrics.js';
export type { MetricsServer } from './metrics-server.js';
export { METRICS_PATH, serveMetrics } from './metrics-server.js';
