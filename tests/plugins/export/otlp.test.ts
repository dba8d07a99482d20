// The OTLP side: the maps pushed by OpenTelemetry's SDK and OTLP/HTTP
// exporter to a receiver on loopback that decodes the protobuf with the
// official definitions.
import test from 'ava';
import { exportIntervalMs, OtlpPusher, type MetricFamily } from '../../../plugins/export/index.ts';
import { otlpAttributes, otlpMetrics, startOtlpReceiver } from '../../helpers/otlp-receiver.ts';

const families = (n: number): MetricFamily[] => [
  { kind: 'counter', name: 'bpfscript_calls', help: 'calls by process', points: [{ labels: { key0: 'bash' }, value: n }] },
  { kind: 'gauge', name: 'bpfscript_max', help: 'h', points: [{ labels: {}, value: -3 }] },
  { kind: 'summary', name: 'bpfscript_lat', help: 'h', points: [{ labels: {}, sum: 100, count: 4 }] },
  { kind: 'histogram', name: 'bpfscript_size', help: 'h', points: [{ labels: { key0: 'a' }, bounds: [3, 7], counts: [2, 1, 4], count: 7 }] },
];

test('the export interval is OpenTelemetry\'s: OTEL_METRIC_EXPORT_INTERVAL, else 60 s', (t) => {
  t.is(exportIntervalMs({}), 60_000);
  t.is(exportIntervalMs({ OTEL_METRIC_EXPORT_INTERVAL: '250' }), 250);
  t.is(exportIntervalMs({ OTEL_METRIC_EXPORT_INTERVAL: 'soon' }), 60_000);
});

test('finish() pushes the maps once more: counters as monotonic cumulative sums, gauges, sum/count and bucket histograms', async (t) => {
  const receiver = await startOtlpReceiver();
  t.teardown(() => receiver.close());
  const errors: string[] = [];
  // An interval far away: only finish() pushes.
  const pusher = new OtlpPusher(receiver.url, { collect: () => families(9) }, { out: () => {}, err: (s) => void errors.push(s) }, 3_600_000);
  t.teardown(() => pusher.close());
  await pusher.finish();
  t.is(receiver.requests.length, 1);
  t.is(receiver.contentTypes[0], 'application/x-protobuf');
  const request = receiver.requests[0]!;
  const resource = Object.fromEntries((request.resourceMetrics?.[0]?.resource?.attributes ?? []).map((a) => [a.key, a.value.stringValue]));
  t.is(resource['service.name'], 'bpfscript');
  const metrics = otlpMetrics(request);
  const calls = metrics.get('bpfscript_calls')!;
  t.is(calls.description, 'calls by process');
  t.true(calls.sum?.isMonotonic);
  t.is(calls.sum?.aggregationTemporality, 'AGGREGATION_TEMPORALITY_CUMULATIVE');
  t.is(calls.sum?.dataPoints[0]?.asDouble, 9);
  t.deepEqual(otlpAttributes(calls.sum!.dataPoints[0]!), { key0: 'bash' });
  t.is(metrics.get('bpfscript_max')?.gauge?.dataPoints[0]?.asDouble, -3);
  const lat = metrics.get('bpfscript_lat')!.histogram!.dataPoints[0]!;
  t.is(lat.count, '4');
  t.is(lat.sum, 100);
  const size = metrics.get('bpfscript_size')!.histogram!.dataPoints[0]!;
  t.deepEqual(size.explicitBounds, [3, 7]);
  t.deepEqual(size.bucketCounts, ['2', '1', '4']);
  t.is(size.count, '7');
  // hist() keeps no sum: none goes out.
  t.is(size.sum, undefined);
  t.deepEqual(errors, []);
});

test('pushes come at the interval with the values of the moment; close() stops them', async (t) => {
  const receiver = await startOtlpReceiver();
  t.teardown(() => receiver.close());
  let n = 0;
  const pusher = new OtlpPusher(receiver.url, { collect: () => families(++n) }, { out: () => {}, err: () => {} }, 200);
  t.teardown(() => pusher.close());
  const second = await receiver.waitFor((r) => otlpMetrics(r).get('bpfscript_calls')?.sum?.dataPoints[0]?.asDouble === 2);
  t.truthy(second);
  pusher.close();
  // A push already under way may still land; then nothing more.
  await new Promise((r) => setTimeout(r, 300));
  const count = receiver.requests.length;
  await new Promise((r) => setTimeout(r, 800));
  t.is(receiver.requests.length, count);
});

test('a receiver that is not there: one warning naming the URL, the run goes on', async (t) => {
  const receiver = await startOtlpReceiver();
  const url = receiver.url;
  await receiver.close();
  const errors: string[] = [];
  const pusher = new OtlpPusher(url, { collect: () => families(1) }, { out: () => {}, err: (s) => void errors.push(s) }, 3_600_000);
  await pusher.finish();
  t.is(errors.length, 1);
  t.true(errors[0]!.startsWith(`WARNING: OTLP export to ${url} failed: `), errors[0]);
});
