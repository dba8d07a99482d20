// `--export otlp=URL`: the maps pushed over OTLP/HTTP (protobuf) at an
// interval, and once more when the run ends, with OpenTelemetry's own SDK:
// a PeriodicExportingMetricReader drives OTLPMetricExporter, and the maps
// come in through a MetricProducer (the SDK's door for data aggregated
// elsewhere: its instruments would count observations one by one, where a
// BPF map arrives already aggregated).
import { hostname } from 'node:os';
import { rootCertificates } from 'node:tls';
import { ValueType, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, hrTime, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type CollectionResult,
  type MetricData,
  type MetricProducer,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { OutputWriter } from '../../sdk/index.ts';
import { deferredExtraCaCerts, httpsTrust } from '../../lib/host/index.ts';
import type { MetricFamily } from './families.ts';
import type { MetricSource } from './map-metrics.ts';

/** OpenTelemetry's default export interval (OTEL_METRIC_EXPORT_INTERVAL overrides it, in ms). */
const DEFAULT_INTERVAL_MS = 60_000;

/** The interval OTEL_METRIC_EXPORT_INTERVAL sets, else OpenTelemetry's default. */
export function exportIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_INTERVAL_MS;
}

/** A family as OpenTelemetry metric data: counters as monotonic sums, avg/stats as bucketless histograms (sum and count). */
export function familyData(f: MetricFamily, startTime: HrTime, endTime: HrTime): MetricData {
  const descriptor = { name: f.name, description: f.help, unit: '', valueType: ValueType.DOUBLE };
  const common = { descriptor, aggregationTemporality: AggregationTemporality.CUMULATIVE };
  const point = <T>(attributes: Record<string, string>, value: T) => ({ startTime, endTime, attributes, value });
  switch (f.kind) {
    case 'counter':
      return { ...common, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints: f.points.map((p) => point(p.labels, p.value)) };
    case 'gauge':
      return { ...common, dataPointType: DataPointType.GAUGE, dataPoints: f.points.map((p) => point(p.labels, p.value)) };
    case 'summary':
      return {
        ...common,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: f.points.map((p) => point(p.labels, { buckets: { boundaries: [], counts: [p.count] }, sum: p.sum, count: p.count })),
      };
    case 'histogram':
      // hist()/lhist() keep no sum of the values in the kernel: `sum` stays unset.
      return {
        ...common,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: f.points.map((p) => point(p.labels, { buckets: { boundaries: p.bounds, counts: p.counts }, count: p.count })),
      };
  }
}

/** The maps as a MetricProducer: every collect reads them anew, until stop() (the maps are gone). */
class MapProducer implements MetricProducer {
  readonly #startTime = hrTime();
  #stopped = false;

  constructor(private readonly metrics: MetricSource) {}

  stop(): void {
    this.#stopped = true;
  }

  async collect(): Promise<CollectionResult> {
    const now = hrTime();
    const families = this.#stopped ? [] : this.metrics.collect();
    // No scope at all when there is nothing: the reader then sends nothing.
    const scopeMetrics = families.length ? [{ scope: { name: 'bpfscript' }, metrics: families.map((f) => familyData(f, this.#startTime, now)) }] : [];
    const resourceMetrics: ResourceMetrics = { resource: resourceFromAttributes({}), scopeMetrics };
    return { resourceMetrics, errors: [] };
  }
}

/** The OTLP exporter, telling the user when pushing starts failing and when it works again. */
class ReportingExporter implements PushMetricExporter {
  #failing = false;

  constructor(
    private readonly inner: OTLPMetricExporter,
    private readonly url: string,
    private readonly w: OutputWriter,
  ) {}

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.inner.export(metrics, (result) => {
      const failed = result.code !== ExportResultCode.SUCCESS;
      if (failed && !this.#failing) this.w.err(`WARNING: OTLP export to ${this.url} failed: ${result.error?.message ?? 'no reason given'}\n`);
      this.#failing = failed;
      done(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/** An https endpoint's trust: NODE_EXTRA_CA_CERTS's certificates too where Node did not read them at start. */
function exporterTrust(url: string, w: OutputWriter): { httpAgentOptions: { ca: string[] } } | undefined {
  if (!url.startsWith('https:')) return undefined;
  const trust = httpsTrust(deferredExtraCaCerts(), rootCertificates, (line) => w.err(line));
  return trust && { httpAgentOptions: trust };
}

export class OtlpPusher {
  readonly #provider: MeterProvider;
  readonly #producer: MapProducer;
  #shutDown = false;

  constructor(url: string, metrics: MetricSource, w: OutputWriter, intervalMs = exportIntervalMs()) {
    this.#producer = new MapProducer(metrics);
    const reader = new PeriodicExportingMetricReader({
      exporter: new ReportingExporter(new OTLPMetricExporter({ url, ...exporterTrust(url, w) }), url, w),
      exportIntervalMillis: intervalMs,
      exportTimeoutMillis: Math.min(intervalMs, 30_000),
      metricProducers: [this.#producer],
    });
    this.#provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'bpfscript', 'host.name': hostname() }),
      readers: [reader],
    });
  }

  /** The run ended: pushes the maps' final values once more, then stops. */
  async finish(): Promise<void> {
    if (this.#shutDown) return;
    this.#shutDown = true;
    await this.#provider.shutdown();
  }

  /** Stops pushing (the maps are gone): nothing more is read, a push under way is not waited for. */
  close(): void {
    this.#producer.stop();
    if (this.#shutDown) return;
    this.#shutDown = true;
    void this.#provider.shutdown().catch(() => {});
  }
}
