// The figures of docs/performance.md: bpfscript against a reference bpftrace
// (upstream, built from source), in the same run, as medians of several runs
// with ratios (bpfscript / reference; below 1 means bpfscript is cheaper).
// The reference is $BPFTRACE_REF, else `bpftrace` on PATH, else
// /opt/bpftrace-ref/bin/bpftrace; Debian's 0.17 ($BPFTRACE_DEBIAN, else
// /usr/bin/bpftrace or /usr/sbin/bpftrace when it says v0.17) is a second column.
// Run as root:  npm run bench [-- --runs N] [-- --only REGEX]
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { cli, fixtureProgram } from '../tests/helpers/run.ts';
import { addedCpuNsPerCall, kernelNsPerRun, median, timedRun, type Run } from './measure.ts';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(option('runs') ?? 5);
const only = option('only') ? new RegExp(option('only')!) : undefined;

function versionOf(bin: string): string {
  return spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
}

function findReference(): string | undefined {
  if (process.env.BPFTRACE_REF) return process.env.BPFTRACE_REF;
  const onPath = spawnSync('sh', ['-c', 'command -v bpftrace'], { encoding: 'utf8' }).stdout.trim();
  if (onPath && !versionOf(onPath).includes('v0.17')) return onPath;
  return existsSync('/opt/bpftrace-ref/bin/bpftrace') ? '/opt/bpftrace-ref/bin/bpftrace' : undefined;
}

function findDebian(): string | undefined {
  if (process.env.BPFTRACE_DEBIAN) return process.env.BPFTRACE_DEBIAN;
  return ['/usr/bin/bpftrace', '/usr/sbin/bpftrace'].find((b) => existsSync(b) && versionOf(b).includes('v0.17'));
}

interface Tool {
  name: string;
  bin: string;
  /** bpfscript's compile cache for this run (cold rows get a fresh one). */
  cacheDir?: string;
}

/** One figure of one tool: its value, and whether the output check passed. */
interface Figure {
  value: number;
  ok: boolean;
}

interface Row {
  name: string;
  unit: string;
  goal: string;
  /** One measurement of one tool. */
  measure(tool: Tool): Promise<Figure> | Figure;
  /** Whether bpfscript's compile cache starts empty for every run. */
  cold?: boolean;
  /** Fewer runs for rows that take long (the many-probe row takes upstream half a minute). */
  runs?: number;
}

const getppid = fixtureProgram('getppid');
const manyProbes = 'tracepoint:syscalls:sys_enter_* { @[probe] = count(); } interval:ms:500 { exit(); }';
// Every function of libc: one program on one uprobe_multi link here; upstream v0.26 refuses it (a program per function, past 1024).
const libcWide = 'uprobe:/lib/x86_64-linux-gnu/libc.so.6:* { @[probe] = count(); } interval:ms:300 { exit(); }';
const libcWideRun = (t: Tool): { wall: Figure; cpu: Figure } => {
  const r = timedRun(t.bin, ['-q', '-e', libcWide], env(t));
  const ok = lines(r.stdout, /^@\[uprobe:/) > 0;
  return { wall: wall(r, ok), cpu: { value: r.cpuS, ok: ok && r.code === 0 } };
};
const startScript = 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); } BEGIN { exit(); }';
const env = (tool: Tool) => (tool.cacheDir ? { BPFSCRIPT_CACHE_DIR: tool.cacheDir } : {});
const wall = (r: Run, ok: boolean): Figure => ({ value: r.ms / 1000, ok: ok && r.code === 0 });
const lines = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;

/** Average in-kernel ns per run of `statement` on raw_syscalls:sys_enter while 2M getppid calls run. */
function inKernelRow(statement: string, goal: string, note = ''): Row {
  return {
    name: `in-kernel ns per run, raw_syscalls:sys_enter ${statement}${note}`, unit: 'ns', goal,
    measure: async (t) => {
      const ns = await kernelNsPerRun(t.bin, `tracepoint:raw_syscalls:sys_enter { ${statement}; }`, [getppid, '2000000']);
      return { value: ns ?? NaN, ok: ns !== undefined };
    },
  };
}

const rows: Row[] = [
  {
    name: 'cold start, one tracepoint (fresh compile cache)', unit: 's', goal: '<= 0.6x', cold: true,
    measure: (t) => wall(timedRun(t.bin, ['-q', '-e', startScript], env(t)), true),
  },
  {
    name: 'warm start, same script', unit: 's', goal: '<= 0.3x',
    measure: (t) => wall(timedRun(t.bin, ['-q', '-e', startScript], env(t)), true),
  },
  {
    name: 'peak memory, same script', unit: 'MiB', goal: '<= 0.4x',
    measure: (t) => {
      const r = timedRun(t.bin, ['-q', '-e', startScript], env(t));
      return { value: r.maxRssMiB, ok: r.code === 0 };
    },
  },
  inKernelRow('@[comm] = count()', '<= 0.8x'),
  {
    name: 'added CPU ns per syscall, same probe, 2M getppid', unit: 'ns', goal: '<= 0.8x',
    measure: async (t) => {
      const ns = await addedCpuNsPerCall(t.bin, 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }', [getppid, '2000000'], 2_000_000);
      return { value: ns ?? NaN, ok: ns !== undefined };
    },
  },
  inKernelRow('@ = count()', '<= 0.8x', ' (no key)'),
  // The floor of the keyed row: the same per-CPU hash lookup and add with a key that costs nothing to make.
  inKernelRow('@[1] = count()', '-', ' (hash lookup alone)'),
  // A keyless histogram: its buckets in a per-CPU array (core/codegen/counter-arrays.ts).
  inKernelRow('@ = hist(args.id)', '-'),
  {
    name: 'printf, 1M events from a -c child: events received', unit: 'k', goal: '100%',
    measure: (t) => {
      const r = timedRun(t.bin, ['-q', '-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("%d %s\\n", tid, comm); }', '-c', `${getppid} 1000000`], env(t));
      return { value: lines(r.stdout, / getppid$/) / 1000, ok: r.code === 0 };
    },
  },
  {
    name: 'printf, 1M events from a -c child: events per second', unit: 'k/s', goal: '>= 2x rate',
    measure: (t) => {
      const r = timedRun(t.bin, ['-q', '-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("%d %s\\n", tid, comm); }', '-c', `${getppid} 1000000`], env(t));
      return { value: lines(r.stdout, / getppid$/) / r.ms, ok: r.code === 0 };
    },
  },
  {
    name: 'map of 100k keys built by events, printed at exit', unit: 's', goal: '<= 0.5x',
    measure: (t) => {
      const r = timedRun(t.bin, ['-q', '-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @m[nsecs] = tid; }', '-c', `${getppid} 100000`], { ...env(t), BPFTRACE_MAX_MAP_KEYS: '200000' });
      return wall(r, lines(r.stdout, /^@m\[/) >= 99_000);
    },
  },
  {
    name: 'map of 100k keys: peak memory', unit: 'MiB', goal: '<= 0.5x',
    measure: (t) => {
      const r = timedRun(t.bin, ['-q', '-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @m[nsecs] = tid; }', '-c', `${getppid} 100000`], { ...env(t), BPFTRACE_MAX_MAP_KEYS: '200000' });
      return { value: r.maxRssMiB, ok: r.code === 0 && lines(r.stdout, /^@m\[/) >= 99_000 };
    },
  },
  {
    name: 'for ($i : 0..100000) { @m[$i] = $i; } in BEGIN', unit: 's', goal: 'loads and runs',
    measure: (t) => {
      const r = timedRun(t.bin, ['-q', '-e', 'BEGIN { for ($i : 0..100000) { @m[$i] = $i; } exit(); }'], { ...env(t), BPFTRACE_MAX_MAP_KEYS: '200000' });
      return wall(r, lines(r.stdout, /^@m\[/) === 100_000);
    },
  },
  {
    name: 'while ($i < 1000000) { @m[$i % 7] = $i; $t += $i % 3; $i++; } in BEGIN', unit: 's', goal: 'loads and runs',
    measure: (t) => {
      const r = timedRun(t.bin, ['-q', '-e', 'BEGIN { $i = 0; $t = 0; while ($i < 1000000) { @m[$i % 7] = $i; $t += $i % 3; $i++; } printf("%d %d\\n", $i, $t); exit(); }'], env(t));
      return wall(r, r.stdout.startsWith('1000000 999999\n'));
    },
  },
  {
    name: '361 probes: syscalls:sys_enter_* @[probe] = count(), exit after 500 ms', unit: 's', goal: '<= 1.5 s (1 s start+exit)', runs: 3,
    measure: (t) => {
      const r = timedRun(t.bin, ['-q', '-e', manyProbes], env(t));
      return wall(r, lines(r.stdout, /^@\[tracepoint:syscalls:sys_enter_/) > 10);
    },
  },
  {
    name: 'same 361 probes: added CPU ns per traced syscall, 2M getppid', unit: 'ns', goal: '-', runs: 3,
    measure: async (t) => {
      const ns = await addedCpuNsPerCall(t.bin, manyProbes.replace(/ interval.*$/, ''), [getppid, '2000000'], 2_000_000);
      return { value: ns ?? NaN, ok: ns !== undefined };
    },
  },
  {
    name: 'libc-wide uprobe:libc.so.6:* @[probe] = count(), exit after 300 ms (fresh compile cache)', unit: 's', goal: 'a few seconds', cold: true, runs: 3,
    measure: (t) => libcWideRun(t).wall,
  },
  {
    name: 'same libc-wide script, warm compile cache', unit: 's', goal: 'a few seconds', runs: 3,
    measure: (t) => libcWideRun(t).wall,
  },
  {
    name: 'same libc-wide script, warm: CPU seconds (user + system)', unit: 's', goal: '-', runs: 3,
    measure: (t) => libcWideRun(t).cpu,
  },
];

function format(f: { value: number; ok: boolean } | undefined, unit: string): string {
  if (!f || Number.isNaN(f.value)) return '-';
  const digits = f.value >= 100 ? 0 : f.value >= 10 ? 1 : 2;
  return `${f.value.toFixed(digits)} ${unit}${f.ok ? '' : '!'}`;
}

async function measureRow(row: Row, tools: Tool[]): Promise<{ value: number; ok: boolean }[]> {
  const values = tools.map(() => [] as number[]);
  const ok = tools.map(() => true);
  for (let i = 0; i < (row.runs ?? runs); i++) {
    for (const [k, tool] of tools.entries()) {
      const cacheDir = tool.name === 'bpfscript' && row.cold ? mkdtempSync(join(tmpdir(), 'bench-cache-')) : tool.cacheDir;
      const f = await row.measure({ ...tool, cacheDir });
      if (cacheDir !== tool.cacheDir) rmSync(cacheDir!, { recursive: true, force: true });
      values[k]!.push(f.value);
      ok[k] &&= f.ok;
    }
  }
  return values.map((v, k) => ({ value: median(v), ok: ok[k]! }));
}

async function main(): Promise<void> {
  const reference = findReference();
  const debian = findDebian();
  const warmCache = mkdtempSync(join(tmpdir(), 'bench-cache-'));
  const tools: Tool[] = [{ name: 'bpfscript', bin: cli, cacheDir: warmCache }];
  if (reference) tools.push({ name: 'reference', bin: reference });
  if (debian) tools.push({ name: 'debian 0.17', bin: debian });
  // The warm cache holds every script's object (and the code cache) before anything is timed.
  for (const row of rows) if (!row.cold && (!only || only.test(row.name))) await row.measure(tools[0]!);
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, kernel ${release()}, Node ${process.version}`);
  console.log(`bpfscript: ${cli}`);
  for (const t of tools.slice(1)) console.log(`${t.name}: ${t.bin} (${versionOf(t.bin)})`);
  console.log(`median of ${runs} runs per row (the 361-probe rows: 3); ratio = bpfscript / ${tools[1]?.name ?? 'reference'}; ! = the output check failed\n`);
  const head = ['figure'.padEnd(66), ...tools.map((t) => t.name.padStart(12)), ...tools.slice(1).map((t) => `vs ${t.name}`.padStart(15)), 'goal'.padStart(18)];
  console.log(head.join(' '));
  for (const row of rows) {
    if (only && !only.test(row.name)) continue;
    const figures = await measureRow(row, tools);
    const ours = figures[0]!.value;
    const ratios = figures.slice(1).map((f) => (Number.isNaN(f.value) || Number.isNaN(ours) ? '-' : `${(ours / f.value).toFixed(2)}x`));
    console.log([row.name.padEnd(66), ...figures.map((f) => format(f, row.unit).padStart(12)), ...ratios.map((r) => r.padStart(15)), row.goal.padStart(18)].join(' '));
  }
  rmSync(warmCache, { recursive: true, force: true });
}

await main();
