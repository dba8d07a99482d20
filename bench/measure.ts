// Measuring one run of a tracing tool: wall time and peak memory of the
// process (GNU time), and the in-kernel cost of its BPF programs (the
// kernel's bpf_stats, read from the tool's program fds while it runs).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Run {
  ms: number;
  maxRssMiB: number;
  /** CPU seconds, user and system. */
  cpuS: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cmd args` to its end under /usr/bin/time (for the peak RSS). */
export function timedRun(cmd: string, args: string[], env: Record<string, string | undefined> = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const out = join(dir, 'time');
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', out, cmd, ...args], {
    encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 30,
  });
  const ms = performance.now() - start;
  let maxRssMiB = NaN;
  let cpuS = NaN;
  try {
    const [user, system, rss] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    maxRssMiB = rss! / 1024;
    cpuS = user! + system!;
  } catch {
    // time wrote nothing: the tool did not run
  }
  rmSync(dir, { recursive: true, force: true });
  return { ms, maxRssMiB, cpuS, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Run time and run count of the busiest BPF program a process holds (bpf_stats must be enabled). */
function busiestProgramStats(pid: number): { runTimeNs: number; runCnt: number } | undefined {
  let best: { runTimeNs: number; runCnt: number } | undefined;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let link = '';
    try {
      link = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (link !== 'anon_inode:bpf-prog') continue;
    const info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    const runTimeNs = Number(/run_time_ns:\s*(\d+)/.exec(info)?.[1] ?? 0);
    const runCnt = Number(/run_cnt:\s*(\d+)/.exec(info)?.[1] ?? 0);
    if (!best || runCnt > best.runCnt) best = { runTimeNs, runCnt };
  }
  return best;
}

/** CPU time (user + system) of a command run to its end: unlike wall time, other work on the machine hardly moves it. */
function cpuMs(command: string[]): number {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const out = join(dir, 'time');
  spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', out, ...command]);
  const [user, system] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(dir, { recursive: true, force: true });
  return (user! + system!) * 1000;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const STATS = '/proc/sys/kernel/bpf_stats_enabled';

/**
 * Starts the tool on `script`, waits until it has attached, runs `measure`
 * while it runs, then ends the tool with SIGINT. undefined when the tool did
 * not attach within a minute.
 */
async function whileTracing<T>(cmd: string, script: string, measure: (pid: number) => T | Promise<T>): Promise<T | undefined> {
  const tool = spawn(cmd, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    let stderr = '';
    tool.stderr.on('data', (d) => (stderr += d));
    for (let waited = 0; !/Attached \d+ probe/.test(stderr); waited += 50) {
      if (waited > 60_000 || tool.exitCode !== null) return undefined;
      await sleep(50);
    }
    await sleep(300);
    return await measure(tool.pid!);
  } finally {
    tool.kill('SIGINT');
    await new Promise((r) => (tool.exitCode !== null ? r(null) : tool.once('exit', r)));
  }
}

/** Runs `fn` with bpf_stats set to `on`, then puts back what the system had. */
async function withStats<T>(on: boolean, fn: () => T | Promise<T>): Promise<T> {
  const before = readFileSync(STATS, 'utf8').trim();
  writeFileSync(STATS, on ? '1' : '0');
  try {
    return await fn();
  } finally {
    writeFileSync(STATS, before);
  }
}

/**
 * run_time_ns / run_cnt of the script's busiest program while `load` runs
 * (bpf_stats enabled for the measure: its two clock reads are in the figure).
 */
export async function kernelNsPerRun(cmd: string, script: string, load: string[]): Promise<number | undefined> {
  return whileTracing(cmd, script, (pid) => withStats(true, () => {
    const first = busiestProgramStats(pid);
    cpuMs(load);
    const last = busiestProgramStats(pid);
    if (!first || !last || last.runCnt === first.runCnt) return undefined;
    return (last.runTimeNs - first.runTimeNs) / (last.runCnt - first.runCnt);
  }));
}

/**
 * CPU time the load gains per call while the script traces it, against the
 * mean of the same load untraced just before and just after (the machine's
 * drift between them cancels). bpf_stats is off for all three, as on a
 * machine nobody measures: its clock reads would add the same ~60 ns to both
 * tools and hide their difference.
 */
export async function addedCpuNsPerCall(cmd: string, script: string, load: string[], calls: number): Promise<number | undefined> {
  return withStats(false, async () => {
    const before = cpuMs(load);
    const traced = await whileTracing(cmd, script, () => cpuMs(load));
    if (traced === undefined) return undefined;
    const after = cpuMs(load);
    return ((traced - (before + after) / 2) * 1e6) / calls;
  });
}

export function median(xs: readonly number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1]! : NaN;
}
