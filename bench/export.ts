// The cost of one --export scrape of a 10,000-key map (and of a 10,000-key
// hist map beside it), loaded into the kernel for real: the maps are filled
// from user space, then read as a scrape reads them. Prints medians of each
// step, the exposition's size, and the process's memory before and after
// many scrapes (a long run must not grow). Run as root:
//   node --import tsx bench/export.ts [keys] [scrapes]
import { createBpfscript } from '../cli/plugins.ts';
import { compileScript, runCompiled } from '../core/session/index.ts';
import { definePlugin, Services, type RunSession } from '../sdk/index.ts';
import { exposition, MapMetrics, PrometheusEndpoint } from '../plugins/export/index.ts';

const keys = Number(process.argv[2] ?? 10_000);
const scrapes = Number(process.argv[3] ?? 30);
const script = `config = { max_map_keys = ${keys * 8} }
interval:s:3600 { @calls[tid] = count(); @lat[tid] = hist(nsecs); }`;

/** Fills `@calls` with `keys` counts and `@lat` with 3 buckets per key, each CPU's copy of the value set on CPU 0. */
function fill(session: RunSession): void {
  const calls = session.map('@calls');
  const lat = session.map('@lat');
  const value = (map: typeof calls, n: bigint) => {
    const v = Buffer.alloc(map.copies * map.valueStride);
    v.writeBigUInt64LE(n, 0);
    return v;
  };
  for (let i = 0; i < keys; i++) {
    const key = Buffer.alloc(calls.keySize);
    key.writeUInt32LE(i + 1, 0);
    calls.update(key, value(calls, BigInt(i + 1)));
    for (const bucket of [5, 9, 14]) {
      const k = Buffer.alloc(lat.keySize);
      k.writeUInt32LE(i + 1, 0);
      k.writeBigUInt64LE(BigInt(bucket), lat.keySize - 8);
      lat.update(k, value(lat, 3n));
    }
  }
}

function median(label: string, runs: number, fn: () => void): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const m = ms[ms.length >> 1]!;
  console.log(`${label.padEnd(46)} median ${m.toFixed(1).padStart(7)} ms   min ${ms[0]!.toFixed(1).padStart(7)} ms`);
  return m;
}

async function measure(session: RunSession): Promise<void> {
  fill(session);
  const metrics = new MapMetrics(session);
  const families = metrics.collect();
  const text = (await exposition(families, false)).text;
  console.log(`@calls: ${keys} keys of count(); @lat: ${keys} keys of hist() with 3 buckets each`);
  console.log(`exposition: ${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines`);
  median('batched read of @calls (RuntimeMap.entries)', 20, () => session.map('@calls').entries());
  median('snapshot of @calls (read, decode, render)', 20, () => session.snapshot('@calls'));
  median('both maps as metric families', 20, () => metrics.collect());
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await exposition(metrics.collect(), false);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`${'families + prom-client exposition'.padEnd(46)} median ${times[10]!.toFixed(1).padStart(7)} ms   min ${times[0]!.toFixed(1).padStart(7)} ms`);

  const endpoint = await PrometheusEndpoint.start({ host: '127.0.0.1', port: 0 }, metrics, { out: () => {}, err: (s) => void process.stderr.write(s) });
  const url = `http://127.0.0.1:${endpoint.address.port}/metrics`;
  const scrape = async () => {
    const start = performance.now();
    const body = await (await fetch(url)).text();
    if (!body.includes('bpfscript_calls_total{')) throw new Error('scrape without the map');
    return performance.now() - start;
  };
  for (let i = 0; i < 10; i++) await scrape();
  global.gc?.();
  const before = process.memoryUsage();
  const http: number[] = [];
  for (let i = 0; i < scrapes; i++) http.push(await scrape());
  global.gc?.();
  const after = process.memoryUsage();
  http.sort((a, b) => a - b);
  console.log(`${'HTTP scrape of /metrics (loopback)'.padEnd(46)} median ${http[http.length >> 1]!.toFixed(1).padStart(7)} ms   min ${http[0]!.toFixed(1).padStart(7)} ms`);
  const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;
  console.log(`memory over ${scrapes} scrapes: rss ${mib(before.rss)} -> ${mib(after.rss)}, heap used ${mib(before.heapUsed)} -> ${mib(after.heapUsed)}${global.gc ? '' : ' (run with --expose-gc for settled heap numbers)'}`);
  endpoint.close();
}

const stop = new AbortController();
let done: Promise<void> = Promise.resolve();
const benchPlugin = definePlugin('export-bench', ({ bind }) => {
  bind(Services.HookTap).toConstantValue({
    name: 'export-bench',
    apply(hooks) {
      let session: RunSession | undefined;
      hooks.running.tapPromise('export-bench', async (s) => void (session = s));
      hooks.attached.tap('export-bench', () => {
        done = measure(session!).finally(() => stop.abort());
      });
    },
  });
});

const container = await createBpfscript({ plugins: [benchPlugin] });
const compiled = await compileScript(container, { text: script, file: 'bench.bt' });
await runCompiled(container, compiled, { writer: { out: () => {}, err: () => {} }, stop: stop.signal, quiet: true });
await done;
