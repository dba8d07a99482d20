// `--test` and `--bench` results as bpftrace's text output shows them: the
// gtest-style run (coloured banners, a failed test's output between its RUN
// and FAILED lines, a summary after the last test) and the benchmark table.
import type { BenchmarkResult, TestResult } from '../../../sdk/index.ts';

const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

const banner = (colour: string, text: string) => `${colour}${text}${RESET}`;
const tests = (n: number) => `${n} ${n === 1 ? 'test' : 'tests'}`;

/** A duration in its largest whole unit (`12 μs`), as bpftrace picks the unit. */
export function durationText(ns: number): string {
  const units: [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'μs']];
  for (const [scale, unit] of units) if (ns >= scale) return `${Math.floor(ns / scale)} ${unit}`;
  return `${ns} ns`;
}

/** One test: its RUN line, its output when it failed, OK or FAILED; the run's head before the first, the summary after the last. */
export function formatTestResult(r: TestResult): string {
  const name = r.names[r.index]!;
  const passed = r.passed[r.index]!;
  let out = '';
  // "Running N tests." whatever N, as bpftrace words it.
  if (r.index === 0) out += `${banner(GREEN, '[==========]')} Running ${r.names.length} tests.\n`;
  out += `${banner(GREEN, '[ RUN      ]')} ${name}\n`;
  if (passed) out += `${banner(GREEN, '[       OK ]')} ${name}`;
  else {
    for (const line of r.output.split('\n')) if (line !== '') out += `${line}\n`;
    out += `${banner(RED, '[  FAILED  ]')} ${name}`;
  }
  out += ` (${durationText(r.durationNs)})\n`;
  if (r.index !== r.names.length - 1) return out;
  const failed = r.names.filter((_, i) => !r.passed[i]);
  out += `${banner(GREEN, '[==========]')} ${tests(r.names.length)} ran.\n`;
  out += `${banner(GREEN, '[  PASSED  ]')} ${tests(r.names.length - failed.length)}.\n`;
  if (failed.length > 0) {
    out += `${banner(RED, '[  FAILED  ]')} ${tests(failed.length)}, listed below:\n`;
    for (const f of failed) out += `${banner(RED, '[  FAILED  ]')} ${f}\n`;
  }
  return out;
}

const TIME_WIDTH = 15;

/** One benchmark's row of the table, the table's head before the first row. */
export function formatBenchmarkResult(r: BenchmarkResult): string {
  // The name column fits the longest name, and is at least 40 wide.
  const nameWidth = Math.max(40, ...r.names.map((n) => n.length)) + 1;
  let out = '';
  if (r.first) {
    out += `${'Benchmark'.padEnd(nameWidth)}${'Time(ns)'.padEnd(TIME_WIDTH)}Iterations\n`;
    out += `${'-'.repeat(nameWidth + TIME_WIDTH + 'Iterations'.length)}\n`;
  }
  out += `${r.names[r.index]!.padEnd(nameWidth)}${String(r.averageNs).padEnd(TIME_WIDTH)}${r.iterations}\n`;
  return out;
}
