// --test and --bench against the kernel: a team's .bt library
// (tests/fixtures/testable-library) carries its tests and benchmarks; test:
// and bench: programs really run through BPF_PROG_TEST_RUN, in text and JSON,
// with their exit codes, and misuse is refused with bpftrace's words.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';
import { parseLines, schemaErrors } from '../plugins/output/json/schema.ts';

const library = 'tests/fixtures/testable-library';
const G = (s: string) => `\x1b[32m${s}\x1b[0m`;
const R = (s: string) => `\x1b[31m${s}\x1b[0m`;
/** Durations vary: `(12 μs)` becomes `(T)`. */
const timeless = (s: string) => s.replace(/ \(\d+ (ns|μs|ms|s)\)\n/g, ' (T)\n');

test('--test runs a library\'s passing tests: gtest-style lines, exit 0, nothing attached', async (t) => {
  const r = await bpfscript(['--test', `${library}/ports.test.bt`]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
  t.is(
    timeless(r.stdout),
    `${G('[==========]')} Running 2 tests.\n` +
      `${G('[ RUN      ]')} privileged_ports\n${G('[       OK ]')} privileged_ports (T)\n` +
      `${G('[ RUN      ]')} port_classes\n${G('[       OK ]')} port_classes (T)\n` +
      `${G('[==========]')} 2 tests ran.\n${G('[  PASSED  ]')} 2 tests.\n\n\n`,
  );
});

test('failing tests show their output and why (assert, return value, exit code); the run exits 1', async (t) => {
  const r = await bpfscript(['--mode', 'test', `${library}/broken.test.bt`]);
  t.is(r.code, 1);
  t.is(
    // Where assert's errorf is in the standard library is not this test's business.
    timeless(r.stdout).replace(/stdlib\/base\.bt:\d+:\d+-\d+:/, 'stdlib/base.bt:L:C:'),
    `${G('[==========]')} Running 4 tests.\n` +
      `${G('[ RUN      ]')} passes\n${G('[       OK ]')} passes (T)\n` +
      `${G('[ RUN      ]')} wrong_expectation\n` +
      'checking 443\n' +
      'stdlib/base.bt:L:C: ERROR: assert failed: 443 is registered\n' +
      `${library}/broken.test.bt:11:3-52: ERROR: expanded from\n` +
      '  assert(port_class(443) == 1, "443 is registered");\n' +
      `  ${'~'.repeat(49)}\n` +
      `${R('[  FAILED  ]')} wrong_expectation (T)\n` +
      `${G('[ RUN      ]')} returns_nonzero\n${R('[  FAILED  ]')} returns_nonzero (T)\n` +
      `${G('[ RUN      ]')} exits_with_a_code\n${R('[  FAILED  ]')} exits_with_a_code (T)\n` +
      `${G('[==========]')} 4 tests ran.\n${G('[  PASSED  ]')} 1 test.\n` +
      `${R('[  FAILED  ]')} 3 tests, listed below:\n` +
      `${R('[  FAILED  ]')} wrong_expectation\n${R('[  FAILED  ]')} returns_nonzero\n${R('[  FAILED  ]')} exits_with_a_code\n\n\n`,
  );
});

test('-f json: one test_result per test, with the output as text; begin and end print around them', async (t) => {
  const r = await bpfscript(['-f', 'json', '--test', '-e', 'import "tests/fixtures/testable-library/ports.bt"; begin { printf("begin\\n"); } test:ok { printf("ok\\n"); } test:bad { printf("port %d\\n", port_class(22)); return 1; } end { printf("end\\n"); }']);
  t.is(r.code, 1, r.stderr);
  const lines = parseLines(r.stdout) as { type: string; data: Record<string, { duration: number; passed: boolean; output: string }> }[];
  t.deepEqual(lines.map((l) => l.type), ['printf', 'test_result', 'test_result', 'printf']);
  t.deepEqual(lines[1]!.data.ok, { duration: lines[1]!.data.ok!.duration, passed: true, output: 'ok\n' });
  t.deepEqual(lines[2]!.data.bad, { duration: lines[2]!.data.bad!.duration, passed: false, output: 'port 0\n' });
  t.true(lines[1]!.data.ok!.duration > 0);
  for (const l of lines) t.is(schemaErrors(l), '');
});

test('--bench times each benchmark into bpftrace\'s table; -f json gives benchmark_result lines', async (t) => {
  const r = await bpfscript(['--bench', `${library}/ports.test.bt`]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^Benchmark {32}Time\(ns\) {7}Iterations\n-{66}\nport_class {31}\d+ +\d+\nis_privileged {28}\d+ +\d+\n\n\n$/);
  // Every round is at least 1 ms: the iterations times the mean reach it.
  for (const row of r.stdout.split('\n').slice(2, 4)) {
    const [, ns, iters] = row.split(/ +/);
    t.true(Number(ns) * Number(iters) >= 1_000_000, row);
  }
  const j = await bpfscript(['-q', '-f', 'json', '--bench', `${library}/ports.test.bt`]);
  const lines = parseLines(j.stdout) as { type: string; data: Record<string, { average: number; iters: number }> }[];
  t.deepEqual(lines.map((l) => [l.type, Object.keys(l.data)[0]]), [['benchmark_result', 'port_class'], ['benchmark_result', 'is_privileged']]);
  for (const l of lines) t.is(schemaErrors(l), '');
});

test('a benchmark that returns non-zero is skipped; one that reports an error fails the run', async (t) => {
  const r = await bpfscript(['--bench', '-e', 'bench:skipped { return 1; } bench:counted { @n = count(); } bench:broken { errorf("no %d", 1); }']);
  t.is(r.code, 1);
  t.regex(r.stdout, /^Benchmark +Time\(ns\) +Iterations\n-+\ncounted +\d+ +\d+\n\n\n$/);
  t.is(r.stderr, "ERROR: Benchmark 'broken' failed.\n");
});

test('tests and benchmarks run only in their mode; a plain run neither runs nor counts them', async (t) => {
  const plain = await bpfscript(['-e', 'test:a { printf("test ran\\n"); } bench:b { } begin { printf("begin\\n"); exit(); }']);
  t.is(plain.code, 0);
  t.is(plain.stdout, 'begin\n\n\n');
  t.is(plain.stderr, 'Attached 1 probe\n');
  const onlyTests = await bpfscript([`${library}/ports.test.bt`]);
  t.is(onlyTests.code, 1);
  t.is(onlyTests.stderr, 'ERROR: No probes attached; use --test to run test probes.\n');
  const benchesWithTest = await bpfscript(['--test', '-e', 'bench:b { }']);
  t.is(benchesWithTest.stderr, 'ERROR: No probes attached; use --bench to run benchmark probes.\n');
  const nothing = await bpfscript(['--test', '-e', 'interval:s:1 { }']);
  t.is(nothing.stderr, 'ERROR: Attachment failed for all probes.\n');
});

test('misuse: attach-point arguments, conflicting modes, non-integer return values', async (t) => {
  const noName = await bpfscript(['--test', '-e', 'test { }']);
  t.is(noName.stderr, 'stdin:1:1-5: ERROR: test probe type requires 1 arguments, found 0\ntest { }\n~~~~\n');
  const twoParts = await bpfscript(['--bench', '-e', 'bench:a:b { }']);
  t.regex(twoParts.stderr, /^stdin:1:1-10: ERROR: bench probe type requires 1 arguments, found 2\n/);
  const conflict = await bpfscript(['--bench', '--test', '-e', 'test:a { }']);
  t.is(conflict.stderr, 'ERROR: USAGE: --test conflicts with existing --mode\n');
  t.is(conflict.code, 1);
  const str = await bpfscript(['--test', '-e', 'test:a { return "no"; }']);
  t.regex(str.stderr, /^stdin:1:10-21: ERROR: Probe return values can only be integers\. Found string\[3\]\n/);
});

test('-l lists a library\'s tests and benchmarks; --probe-filter picks tests; --fmt keeps them', async (t) => {
  t.is((await bpfscript(['-l', `${library}/ports.test.bt`])).stdout, 'test:privileged_ports\ntest:port_classes\nbench:port_class\nbench:is_privileged\n');
  // Without a program there is nothing to list: tests exist only in scripts.
  const none = await bpfscript(['-l', 'test:*']);
  t.deepEqual([none.code, none.stdout, none.stderr], [0, '', '']);
  const one = await bpfscript(['--test', '--probe-filter', 'classes', `${library}/ports.test.bt`]);
  t.regex(one.stdout, /Running 1 tests\.\n.*\[ RUN {6}\].* port_classes\n/);
  const fmt = await bpfscript(['--fmt', '-e', 'test:a{assert(1==1,"x");}bench:b{@x=count();}']);
  t.is(fmt.stdout, 'test:a {\n  assert(1 == 1, "x");\n}\n\nbench:b {\n  @x = count();\n}\n');
});
