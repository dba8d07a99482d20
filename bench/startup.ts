// Whole-tool benchmarks against the system bpftrace (when installed), on
// scripts both dialects understand. Prints medians and bpfscript/bpftrace ratios
// (below 1 means bpfscript is faster).
//   node --import tsx bench/startup.ts [runs]
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, fixtureProgram } from '../tests/helpers/run.ts';

const runs = Number(process.argv[2] ?? 7);
const bpftrace = spawnSync('sh', ['-c', 'command -v bpftrace'], { encoding: 'utf8' }).stdout.trim();
const getppid = fixtureProgram('getppid');

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** Check the output so a broken run is never timed as a fast one. */
  check(stdout: string): boolean;
}

const cases: Case[] = [
  { name: 'begin { exit() } (compile cached)', args: ['-e', 'BEGIN { exit(); }'], check: () => true },
  {
    name: 'begin { exit() } (cold: clang runs)',
    args: ['-e', 'BEGIN { exit(); }'],
    env: { BPFSCRIPT_CACHE_DIR: '' },
    check: () => true,
  },
  {
    name: 'count 200k getppid in kernel (-c)',
    args: ['-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @calls = count(); }', '-c', `${getppid} 200000`],
    check: (out) => out.includes('@calls: 200000'),
  },
  {
    name: 'printf 200k events to user space (-c)',
    args: ['-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("%d %s\\n", tid, comm); }', '-c', `${getppid} 200000`],
    check: (out) => out.split('\n').filter((l) => l.endsWith(' getppid')).length >= 190000,
  },
];

function time(cmd: string, c: Case, fresh: boolean): { ms: number; ok: boolean } {
  const env = { ...process.env, ...c.env };
  if (fresh && c.env?.BPFSCRIPT_CACHE_DIR === '') env.BPFSCRIPT_CACHE_DIR = mkdtempSync(join(tmpdir(), 'bpfscript-bench-'));
  const start = performance.now();
  const r = spawnSync(cmd, ['-q', ...c.args], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  return { ms, ok: r.status === 0 && c.check(r.stdout) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

console.log(`runs per case: ${runs}; bpftrace: ${bpftrace || 'not installed'}`);
console.log(`${'case'.padEnd(40)} ${'bpfscript'.padStart(11)} ${'bpftrace'.padStart(11)} ${'ratio'.padStart(7)}`);
for (const c of cases) {
  const ours: number[] = [];
  const theirs: number[] = [];
  let okOurs = true;
  let okTheirs = true;
  for (let i = 0; i < runs; i++) {
    const a = time(cli, c, true);
    okOurs &&= a.ok;
    ours.push(a.ms);
    if (bpftrace) {
      const b = time(bpftrace, c, false);
      okTheirs &&= b.ok;
      theirs.push(b.ms);
    }
  }
  const mo = median(ours);
  const mt = theirs.length ? median(theirs) : NaN;
  const fmt = (ms: number, ok: boolean) => (Number.isNaN(ms) ? '-' : `${ms.toFixed(0)} ms${ok ? '' : '!'}`);
  console.log(`${c.name.padEnd(40)} ${fmt(mo, okOurs).padStart(11)} ${fmt(mt, okTheirs).padStart(11)} ${(Number.isNaN(mt) ? '-' : (mo / mt).toFixed(2)).padStart(7)}`);
}
console.log('(! = output check failed for that tool)');
