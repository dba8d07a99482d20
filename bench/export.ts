// The cost of one --export scrape of a 10,000-key map (and of a 10,000-key
// hist map beside it), loaded into the kernel for real: the maps are filled
// from user space, then read as a scrape reads them. Prints medians of each
// step, the exposition's size, and the process's memory before and after
// many scrapes (a long run must not grow). CPU times beside the wall times
// show the cost on a machine that other jobs load. Run as root:
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

/** Milliseconds of CPU (user + system) this process has used: the cost of a step on a machine other jobs load. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Prints the median and fastest wall time and the median CPU time of `runs` runs. */
function report(label: string, wall: number[], cpu: number[]): void {
  const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const f = (ms: number) => ms.toFixed(1).padStart(7);
  console.log(`${label.padEnd(46)} median ${f(mid(wall))} ms   min ${f(Math.min(...wall))} ms   cpu ${f(mid(cpu))} ms`);
}

async function timed(label: string, runs: number, fn: () => unknown): Promise<void> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpuStart = cpuMs();
    await fn();
    wall.push(performance.now() - start);
    cpu.push(cpuMs() - cpuStart);
  }
  report(label, wall, cpu);
}

async function measure(session: RunSession): Promise<void> {
  fill(session);
  const metrics = new MapMetrics(session);
  const families = metrics.collect();
  const text = (await exposition(families, false)).text;
  console.log(`@calls: ${keys} keys of count(); @lat: ${keys} keys of hist() with 3 buckets each`);
  console.log(`exposition: ${(text.length / 1024).toFixed(0)} KiB, ${text.split('\n').length} lines`);
  await timed('batched read of @calls (RuntimeMap.entries)', 20, () => session.map('@calls').entries());
  await timed('snapshot of @calls (read, decode, render)', 20, () => session.snapshot('@calls'));
  await timed('both maps as metric families', 20, () => metrics.collect());
  await timed('families + prom-client exposition', 20, () => exposition(metrics.collect(), false));

  const endpoint = await PrometheusEndpoint.start({ host: '127.0.0.1', port: 0 }, metrics, { out: () => {}, err: (s) => void process.stderr.write(s) });
  const url = `http://127.0.0.1:${endpoint.address.port}/metrics`;
  const scrape = async () => {
    const body = await (await fetch(url)).text();
    if (!body.includes('bpfscript_calls_total{')) throw new Error('scrape without the map');
  };
  for (let i = 0; i < 10; i++) await scrape();
  global.gc?.();
  const before = process.memoryUsage();
  // The server is this process: its CPU time is the scrape's, the client's parsing included.
  await timed('HTTP scrape of /metrics (loopback)', scrapes, scrape);
  global.gc?.();
  const after = process.memoryUsage();
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
