// Does a long `--export prometheus` run grow? Runs bin/bpfscript (build it
// first) with a script that keeps a few thousand keys of count(), hist() and
// stats() busy from every system call, scrapes /metrics once a second as
// Prometheus would, and samples the process's resident size (VmRSS) after
// each scrape. Prints the size every 30 s and a summary: the first scrapes
// (the maps filling up, the code warming), then the band the size stays in.
// Run as root:
//   node --import tsx bench/export-rss.ts [seconds=240] [interval-ms=1000]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cli } from '../tests/helpers/run.ts';

const seconds = Number(process.argv[2] ?? 240);
const intervalMs = Number(process.argv[3] ?? 1000);
const script = `config = { max_map_keys = 16384 }
tracepoint:raw_syscalls:sys_enter {
  @calls[nsecs % 4000] = count();
  @lat[nsecs % 2000] = hist(nsecs % 100000);
  @args[nsecs % 1000] = stats(args.id);
}`;

const child = spawn(cli, ['--export', 'prometheus=127.0.0.1:0', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

function rssMiB(): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return Number(m![1]) / 1024;
}

let url = '';
for (let i = 0; i < 1200 && !url; i++) {
  url = /Serving metrics on (\S+)/.exec(stderr)?.[1] ?? '';
  if (!url) await new Promise((r) => setTimeout(r, 100));
}
if (!url) throw new Error(`bpfscript did not serve metrics:\n${stderr}`);

const samples: { at: number; rss: number; ms: number; lines: number; keys: number }[] = [];
const start = performance.now();
console.log(`scraping ${url} every ${intervalMs} ms for ${seconds} s`);
while (performance.now() - start < seconds * 1000) {
  const t0 = performance.now();
  const body = await (await fetch(url)).text();
  const ms = performance.now() - t0;
  const at = (performance.now() - start) / 1000;
  const sample = { at, rss: rssMiB(), ms, lines: body.split('\n').length, keys: body.match(/^bpfscript_calls_total\{/gm)?.length ?? 0 };
  samples.push(sample);
  if (samples.length === 1 || Math.floor(at / 30) > Math.floor((samples[samples.length - 2]?.at ?? 0) / 30)) {
    console.log(`${at.toFixed(0).padStart(4)} s  scrape ${samples.length.toString().padStart(4)}  rss ${sample.rss.toFixed(1)} MiB  ${sample.lines} lines (@calls ${sample.keys} keys)  ${ms.toFixed(0)} ms`);
  }
  await new Promise((r) => setTimeout(r, Math.max(0, intervalMs - ms)));
}
child.kill('SIGINT');
await exited;

const settled = samples.filter((s) => s.at >= 30);
const rss = settled.map((s) => s.rss);
const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
const last = samples[samples.length - 1]!;
console.log(`${samples.length} scrapes over ${last.at.toFixed(0)} s; scrape median ${ms[ms.length >> 1]!.toFixed(0)} ms, slowest ${ms[ms.length - 1]!.toFixed(0)} ms`);
console.log(`rss: first scrape ${samples[0]!.rss.toFixed(1)} MiB; from 30 s on between ${Math.min(...rss).toFixed(1)} and ${Math.max(...rss).toFixed(1)} MiB; last ${last.rss.toFixed(1)} MiB`);
if (settled.length >= 4) {
  const quarter = Math.floor(settled.length / 4);
  const mean = (xs: { rss: number }[]) => xs.reduce((a, s) => a + s.rss, 0) / xs.length;
  console.log(`rss mean: first quarter after 30 s ${mean(settled.slice(0, quarter)).toFixed(1)} MiB, last quarter ${mean(settled.slice(-quarter)).toFixed(1)} MiB`);
}
