// The Prometheus side: the exposition text prom-client writes for the map
// families (both formats), and the /metrics endpoint over real HTTP on loopback.
import test from 'ava';
import { exposition, PrometheusEndpoint, type MetricFamily } from '../../../plugins/export/index.ts';

const families: MetricFamily[] = [
  { kind: 'counter', name: 'bpfscript_calls', help: 'calls by "name"', points: [{ labels: { key0: 'a "quoted"\\ name\nwith a newline' }, value: 5 }] },
  { kind: 'gauge', name: 'bpfscript_max', help: 'h', points: [{ labels: {}, value: -3 }] },
  { kind: 'summary', name: 'bpfscript_lat', help: 'h', points: [{ labels: { key0: 'x' }, sum: 100, count: 4 }] },
  { kind: 'histogram', name: 'bpfscript_size', help: 'h', points: [{ labels: { key0: 'a' }, bounds: [3, 7], counts: [2, 1, 4], count: 7 }] },
];

test('the text format: counters end in _total, labels escaped, summaries as _sum/_count, cumulative le buckets', async (t) => {
  const { contentType, text } = await exposition(families, false);
  t.regex(contentType, /^text\/plain; version=0\.0\.4/);
  t.is(
    text,
    [
      '# HELP bpfscript_calls_total calls by "name"',
      '# TYPE bpfscript_calls_total counter',
      'bpfscript_calls_total{key0="a \\"quoted\\"\\\\ name\\nwith a newline"} 5',
      '',
      '# HELP bpfscript_max h',
      '# TYPE bpfscript_max gauge',
      'bpfscript_max -3',
      '',
      '# HELP bpfscript_lat h',
      '# TYPE bpfscript_lat summary',
      'bpfscript_lat_sum{key0="x"} 100',
      'bpfscript_lat_count{key0="x"} 4',
      '',
      '# HELP bpfscript_size h',
      '# TYPE bpfscript_size histogram',
      'bpfscript_size_bucket{key0="a",le="3"} 2',
      'bpfscript_size_bucket{key0="a",le="7"} 3',
      'bpfscript_size_bucket{key0="a",le="+Inf"} 7',
      'bpfscript_size_count{key0="a"} 7',
      '',
    ].join('\n'),
  );
});

test('OpenMetrics: the counter family loses _total, its samples keep it, # EOF ends the text', async (t) => {
  const { contentType, text } = await exposition(families.slice(0, 1), true);
  t.regex(contentType, /^application\/openmetrics-text; version=1\.0\.0/);
  t.is(text, '# HELP bpfscript_calls calls by "name"\n# TYPE bpfscript_calls counter\nbpfscript_calls_total{key0="a \\"quoted\\"\\\\ name\\nwith a newline"} 5\n# EOF\n');
});

test('the endpoint answers /metrics on loopback with the families as they are at each scrape, in the format asked for', async (t) => {
  let value = 1;
  const source = { collect: (): MetricFamily[] => [{ kind: 'counter', name: 'bpfscript_n', help: 'n', points: [{ labels: {}, value: value++ }] }] };
  const errors: string[] = [];
  const endpoint = await PrometheusEndpoint.start({ host: '127.0.0.1', port: 0 }, source, { out: () => {}, err: (s) => void errors.push(s) });
  t.teardown(() => endpoint.close());
  const base = `http://127.0.0.1:${endpoint.address.port}`;
  t.not(endpoint.address.port, 0);
  t.regex(await (await fetch(`${base}/metrics`)).text(), /^bpfscript_n_total 1$/m);
  const om = await fetch(`${base}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0,text/plain;q=0.5' } });
  t.regex(om.headers.get('content-type') ?? '', /openmetrics/);
  t.regex(await om.text(), /^bpfscript_n_total 2\n# EOF\n$/m);
  t.is((await fetch(`${base}/other`)).status, 404);
  t.deepEqual(errors, []);
});

test('a scrape that cannot read the maps answers 500 and warns once; the endpoint stays up', async (t) => {
  const source = {
    collect(): MetricFamily[] {
      throw new Error('map gone');
    },
  };
  const errors: string[] = [];
  const endpoint = await PrometheusEndpoint.start({ host: '127.0.0.1', port: 0 }, source, { out: () => {}, err: (s) => void errors.push(s) });
  t.teardown(() => endpoint.close());
  const url = `http://127.0.0.1:${endpoint.address.port}/metrics`;
  t.is((await fetch(url)).status, 500);
  t.is((await fetch(url)).status, 500);
  t.deepEqual(errors, ['WARNING: metrics scrape failed: map gone\n']);
});

test('an address in use is an error naming it', async (t) => {
  const source = { collect: (): MetricFamily[] => [] };
  const w = { out: () => {}, err: () => {} };
  const first = await PrometheusEndpoint.start({ host: '127.0.0.1', port: 0 }, source, w);
  t.teardown(() => first.close());
  const port = first.address.port;
  await t.throwsAsync(PrometheusEndpoint.start({ host: '127.0.0.1', port }, source, w), { message: `cannot serve metrics on 127.0.0.1:${port}: EADDRINUSE` });
});
