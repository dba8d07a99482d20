// --test and --bench results in text: bpftrace's gtest-style banners (always
// coloured, as bpftrace prints them), a failed test's output between its RUN
// and FAILED lines, the summary after the last test; the benchmark table.
import test from 'ava';
import { durationText, formatBenchmarkResult, formatTestResult } from '../../../../plugins/output/text/index.ts';

const G = (s: string) => `\x1b[32m${s}\x1b[0m`;
const R = (s: string) => `\x1b[31m${s}\x1b[0m`;

test('durations show in their largest whole unit', (t) => {
  t.is(durationText(0), '0 ns');
  t.is(durationText(999), '999 ns');
  t.is(durationText(1000), '1 μs');
  t.is(durationText(12_345), '12 μs');
  t.is(durationText(3_500_000), '3 ms');
  t.is(durationText(2_000_000_000), '2 s');
});

test('one test passing: the head, RUN, OK and the summary', (t) => {
  t.is(
    formatTestResult({ names: ['only'], index: 0, passed: [true], durationNs: 1500, output: 'hidden\n' }),
    `${G('[==========]')} Running 1 tests.\n${G('[ RUN      ]')} only\n${G('[       OK ]')} only (1 μs)\n` +
      `${G('[==========]')} 1 test ran.\n${G('[  PASSED  ]')} 1 test.\n`,
  );
});

test('a failed test shows its non-empty output lines; the summary lists the failures', (t) => {
  const names = ['a', 'b', 'c'];
  t.is(formatTestResult({ names, index: 1, passed: [true, false], durationNs: 20, output: 'line 1\n\nline 2' }), `${G('[ RUN      ]')} b\nline 1\nline 2\n${R('[  FAILED  ]')} b (20 ns)\n`);
  t.is(
    formatTestResult({ names, index: 2, passed: [true, false, false], durationNs: 20, output: '' }),
    `${G('[ RUN      ]')} c\n${R('[  FAILED  ]')} c (20 ns)\n` +
      `${G('[==========]')} 3 tests ran.\n${G('[  PASSED  ]')} 1 test.\n${R('[  FAILED  ]')} 2 tests, listed below:\n${R('[  FAILED  ]')} b\n${R('[  FAILED  ]')} c\n`,
  );
});

test('the benchmark table: a name column of at least 40, widened for a longer name; the head before the first row', (t) => {
  const first = formatBenchmarkResult({ names: ['count', 'loop'], index: 0, first: true, averageNs: 41, iterations: 20000 });
  t.is(first, `Benchmark${' '.repeat(32)}Time(ns)       Iterations\n${'-'.repeat(66)}\ncount${' '.repeat(36)}41             20000\n`);
  t.is(formatBenchmarkResult({ names: ['count', 'loop'], index: 1, first: false, averageNs: 7, iterations: 40000 }), `loop${' '.repeat(37)}7              40000\n`);
  const long = 'n'.repeat(50);
  const wide = formatBenchmarkResult({ names: ['a', long], index: 1, first: true, averageNs: 1, iterations: 1 }).split('\n');
  t.is(wide[0], `Benchmark${' '.repeat(42)}Time(ns)       Iterations`);
  t.is(wide[1], '-'.repeat(51 + 15 + 10));
  t.is(wide[2], `${long} 1              1`);
});
