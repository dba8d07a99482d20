// A long --export run must not grow: many scrapes of a few thousand keys in
// a tight loop, against the in-memory runtime, leave the heap where it was
// after the first ones (measured after a full collection, so the machine's
// load does not move it). bench/export-rss.ts measures the resident size of
// a real run over minutes (docs/export.md).
import test from 'ava';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createBpfscript } from '../../../cli/plugins.ts';
import { compileScript, runCompiled } from '../../../core/session/index.ts';
import { Services } from '../../../sdk/index.ts';
import { exportPlugin } from '../../../plugins/export/index.ts';
import { LibbpfRuntime } from '../../../plugins/runtime/libbpf/index.ts';
import { MemoryRuntime } from '../../../testing/memory-runtime/index.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const COUNT_KEYS = 3000;
const HIST_KEYS = 500;
const script = 'interval:s:1 { @calls[tid] = count(); @lat[tid] = hist(3); }';

/** The heap in use after full collections, in bytes. */
function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test('scraping a few thousand keys over and over keeps the heap flat', async (t) => {
  t.timeout(300_000);
  const container = await createBpfscript({ plugins: [exportPlugin([{ kind: 'prometheus', host: '127.0.0.1', port: 0 }])] });
  const compiled = await compileScript(container, { text: script, file: 'stdin', sources: new Map([['stdin', script]]) });
  const runtime = new MemoryRuntime(compiled.manifest, new LibbpfRuntime());
  container.rebind(Services.Runtime).toConstantValue(runtime);
  runtime.onRun('interval:s:1', (k) => {
    for (let i = 0; i < COUNT_KEYS; i++) k.add('@calls', i, BigInt(i + 1));
    for (let i = 0; i < HIST_KEYS; i++) k.addToBucket('@lat', i, 3, 2n);
  });
  const err: string[] = [];
  const stop = new AbortController();
  t.teardown(() => stop.abort());
  container.get(Services.Hooks).attached.tap('test', () => setImmediate(() => runtime.fire('interval:s:1')));
  const run = runCompiled(container, compiled, { writer: { out: () => {}, err: (s) => void err.push(s) }, stop: stop.signal });

  let url = '';
  for (let i = 0; i < 400 && !url; i++) {
    url = /Serving metrics on (\S+)/.exec(err.join(''))?.[1] ?? '';
    if (!url) await new Promise((r) => setTimeout(r, 50));
  }
  const scrape = async () => {
    const text = await (await fetch(url, { headers: { accept: 'application/openmetrics-text' } })).text();
    return text.match(/^bpfscript_calls_total\{/gm)?.length ?? 0;
  };
  // The maps are filled once the interval probe ran.
  for (let i = 0; i < 400 && (await scrape()) < COUNT_KEYS; i++) await new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < 20; i++) t.is(await scrape(), COUNT_KEYS);
  const before = settledHeap();
  for (let i = 0; i < 100; i++) t.is(await scrape(), COUNT_KEYS);
  const after = settledHeap();
  // One scrape's text is about 180 KiB: keeping anything of each scrape would show many MiB here.
  const grown = (after - before) / 1048576;
  t.true(grown < 3, `heap grew by ${grown.toFixed(2)} MiB over 100 scrapes (${(before / 1048576).toFixed(1)} -> ${(after / 1048576).toFixed(1)} MiB)`);
  t.log(`heap in use ${(before / 1048576).toFixed(1)} -> ${(after / 1048576).toFixed(1)} MiB over 100 scrapes`);
  stop.abort();
  t.is(await run, 0);
});
