// The export plugin in a session, without a kernel: a real script compiled
// and run against the in-memory runtime, its maps served on /metrics while
// the run waits and pushed over OTLP when it ends; servers gone afterwards.
import test from 'ava';
import { createBpfscript } from '../../../cli/plugins.ts';
import { compileScript, runCompiled } from '../../../core/session/index.ts';
import { Services } from '../../../sdk/index.ts';
import { exportPlugin, type ExportTarget } from '../../../plugins/export/index.ts';
import { LibbpfRuntime } from '../../../plugins/runtime/libbpf/index.ts';
import { MemoryRuntime } from '../../../testing/memory-runtime/index.ts';
import { otlpMetrics, startOtlpReceiver } from '../../helpers/otlp-receiver.ts';

const script = `// @calls: calls by process name
interval:s:1 { @calls[comm] = count(); @size = hist(3); }`;

async function exportSession(targets: ExportTarget[]) {
  const container = await createBpfscript({ plugins: [exportPlugin(targets, { otlpIntervalMs: 3_600_000 })] });
  const sources = new Map([['stdin', script]]);
  const compiled = await compileScript(container, { text: script, file: 'stdin', sources });
  const runtime = new MemoryRuntime(compiled.manifest, new LibbpfRuntime());
  container.rebind(Services.Runtime).toConstantValue(runtime);
  runtime.onRun('interval:s:1', (k) => {
    k.add('@calls', 'bash', 3n);
    // hist(3): log2 bucket 3 is [2, 4).
    k.addToBucket('@size', undefined, 3, 2n);
  });
  const err: string[] = [];
  const writer = { out: () => {}, err: (s: string) => void err.push(s) };
  const stop = new AbortController();
  const hooks = container.get(Services.Hooks);
  hooks.attached.tap('test', () => setImmediate(() => runtime.fire('interval:s:1')));
  const run = runCompiled(container, compiled, { writer, sources, stop: stop.signal });
  return { run, stop, err, hooks };
}

test('the maps are on /metrics while the run waits, with the script\'s HELP; the server is gone when the run ends', async (t) => {
  const s = await exportSession([{ kind: 'prometheus', host: '127.0.0.1', port: 0 }]);
  t.teardown(() => s.stop.abort());
  let url = '';
  for (let i = 0; i < 200 && !url; i++) {
    url = /Serving metrics on (\S+)/.exec(s.err.join(''))?.[1] ?? '';
    if (!url) await new Promise((r) => setTimeout(r, 50));
  }
  let text = '';
  for (let i = 0; i < 200 && !/bpfscript_calls_total\{key0="bash"\} 3/.test(text); i++) {
    text = await (await fetch(url)).text();
    await new Promise((r) => setTimeout(r, 50));
  }
  t.regex(text, /^# HELP bpfscript_calls_total calls by process name$/m);
  t.regex(text, /^bpfscript_calls_total\{key0="bash"\} 3$/m);
  t.regex(text, /^bpfscript_size_bucket\{le="3"\} 2$/m);
  t.regex(text, /^bpfscript_size_bucket\{le="\+Inf"\} 2$/m);
  s.stop.abort();
  t.is(await s.run, 0);
  await t.throwsAsync(fetch(url));
});

test('--export otlp pushes the final values when the run ends', async (t) => {
  const receiver = await startOtlpReceiver();
  t.teardown(() => receiver.close());
  const s = await exportSession([{ kind: 'otlp', url: receiver.url }]);
  t.teardown(() => s.stop.abort());
  // The interval probe has fired once the map holds its count.
  s.hooks.attached.tap('test-stop', () => setTimeout(() => s.stop.abort(), 200));
  t.is(await s.run, 0);
  t.is(receiver.requests.length, 1);
  const metrics = otlpMetrics(receiver.requests[0]!);
  t.is(metrics.get('bpfscript_calls')?.description, 'calls by process name');
  t.is(metrics.get('bpfscript_calls')?.sum?.dataPoints[0]?.asDouble, 3);
  t.deepEqual(metrics.get('bpfscript_size')?.histogram?.dataPoints[0]?.bucketCounts, ['2', '0']);
});
