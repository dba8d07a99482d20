// Output and control from the standard library against the kernel: assert()
// (a stdlib macro over errorf and exit), debugf() (bpf_trace_printk, read back
// from the kernel's trace buffer).
import test from 'ava';
import { readFileSync } from 'node:fs';
import { bpfscript } from '../helpers/run.ts';

test('assert(): nothing when the condition holds; otherwise the error at the macro and exit code 1', async (t) => {
  const ok = await bpfscript(['-q', '-e', 'begin { assert(1 == 1, "fine"); printf("after\\n"); exit(); }']);
  t.is(ok.stdout, 'after\n\n\n');
  t.is(ok.code, 0);
  const bad = await bpfscript(['-q', '-e', 'begin { assert(pid == 0, "My error message"); printf("not reached\\n"); }']);
  t.is(bad.code, 1);
  // Upstream's message and place: line 6 of stdlib/base.bt, the errorf in the macro.
  t.regex(bad.stderr, /^stdlib\/base\.bt:6:5-37: ERROR: assert failed: My error message\n/);
  t.regex(bad.stderr, /\nstdin:1:9-45: ERROR: expanded from\n/);
  t.false(bad.stdout.includes('not reached'));
});

test('debugf() writes through bpf_trace_printk to the kernel\'s trace buffer, with a warning', async (t) => {
  const marker = `bpfscript-debugf-${process.pid}-${Date.now()}`;
  const r = await bpfscript(['-q', '-e', `interval:ms:10 { debugf("${marker} %s %d %x", "a", 1, 16); @n = count(); if (@n == 3) { exit(); } }`]);
  t.is(r.code, 0);
  t.regex(r.stderr, /WARNING: The debugf\(\) builtin is not recommended for production use\. For more information see bpf_trace_printk in bpf-helpers\(7\)\./);
  const trace = readFileSync('/sys/kernel/tracing/trace', 'utf8');
  t.true(trace.split('\n').filter((l) => l.includes(`bpf_trace_printk: ${marker} a 1 10`)).length >= 3, 'three lines in the trace buffer');
});

test('debugf() misuse: conversions bpf_trace_printk lacks, mismatched types, more than 3 arguments', async (t) => {
  const cases: [string, RegExp][] = [
    ['begin { debugf("%c", 65); }', /^stdin:1:16-20: ERROR: Invalid format specifier for `debugf`: c\n/],
    ['begin { debugf("%s", 1); }', /^stdin:1:22-23: ERROR: Type does not match format specifier: s\n/],
    ['begin { debugf("%d %d %d %d", 1, 2, 3, 4); }', /ERROR: cannot use more than 3 conversion specifiers\n/],
    ['begin { debugf("%d"); }', /ERROR: not enough arguments for format string \(0 supplied, 1 expected\)\n/],
  ];
  for (const [program, message] of cases) {
    const r = await bpfscript(['--no-warnings', '-e', program]);
    t.is(r.code, 1, program);
    t.regex(r.stderr, message, program);
  }
});
