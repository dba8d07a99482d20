// The export room: script maps as metrics for the monitoring a fleet runs
// (Prometheus scrapes, OTLP pushes). One mapping (families.ts), two wire formats.
export { exportPlugin, type ExportTarget, type ExportOptions } from './plugin.ts';
export { mapFamily, familyKind, keyLabels, metricName, METRIC_PREFIX, type MetricFamily, type HistogramPoint, type Labels } from './families.ts';
export { helpComments, mapHelp } from './help.ts';
export { MapMetrics, type MetricSource } from './map-metrics.ts';
export { PrometheusEndpoint, exposition, familySamples, addressText, type ListenAddress } from './prometheus.ts';
export { OtlpPusher, familyData, exportIntervalMs } from './otlp.ts';
