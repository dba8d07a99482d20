// The inputs a fuzzing run of `--mode codegen` found breaking the compiler
// (issue 14): each now ends, quickly, in a located diagnostic or a program
// clang accepts. Compiled in process as --mode codegen does (no kernel load).
import test from 'ava';
import { compileOutcome, type Outcome } from '../../helpers/compile-outcome.ts';

const TOO_DEEP = 'nesting too deep: more than 64 levels of blocks, statements and expressions';

/** The outcome, failing the test unless it came in time and is one of the two honest ends. */
async function outcomeOf(t: { fail: (m: string) => void; true: (v: boolean, m?: string) => void }, text: string): Promise<Outcome> {
  const { outcome, ms } = await compileOutcome(text);
  t.true(ms < 10_000, `took ${ms.toFixed(0)} ms`);
  if (outcome.kind === 'failed') t.fail(outcome.why);
  return outcome;
}

function refusal(o: Outcome): string {
  return o.kind === 'refused' ? o.text : `not refused: ${o.kind}`;
}

const deep: Record<string, string> = {
  '5,000 nested !': `begin { $x = ${'!'.repeat(5000)}1; }`,
  '5,000 nested *': `begin { $p = (int64 *)0; $x = ${'*'.repeat(5000)}$p; }`,
  '5,000 .a': `begin { $x = ((a = 1))${'.a'.repeat(5000)}; }`,
  '5,000 nested macro calls': `macro f(x) { x + 1 }\nbegin { $x = ${'f('.repeat(5000)}1${')'.repeat(5000)}; }`,
  '5,000 nested blocks': `begin { ${'{'.repeat(5000)}@x = 1;${'}'.repeat(5000)} }`,
  '1,000 nested blocks': `begin { ${'{'.repeat(1000)}@x = 1;${'}'.repeat(1000)} }`,
  '5,000 nested if': `begin { ${'if (1) {'.repeat(5000)}@x = 1;${'}'.repeat(5000)} }`,
  '5,000 nested ?:': `begin { $x = ${'1 ? '.repeat(5000)}1${' : 2'.repeat(5000)}; }`,
  '$x = 1+1+... with 20,000 terms': `begin { $x = ${Array(20_000).fill('1').join('+')}; }`,
};

for (const [name, text] of Object.entries(deep)) {
  test.serial(`${name}: nesting too deep, located`, async (t) => {
    t.regex(refusal(await outcomeOf(t, text)), new RegExp(`^stdin:\\d+:\\d+-\\d+: ERROR: ${TOO_DEEP}\\n`));
  });
}

test.serial('macros nesting deeper once expanded: nesting too deep, located in the expansion', async (t) => {
  // 20 calls deep: within the limit as written, 4 levels a call (80) once expanded.
  const text = `macro f(x) { -(-(-(-(x)))) }\nbegin { $x = ${'f('.repeat(20)}1${')'.repeat(20)}; }`;
  t.regex(refusal(await outcomeOf(t, text)), /^stdin:\d+:\d+-\d+: ERROR: nesting too deep/);
});

test.serial('at the limit, the deepest constructs compile: clang takes their C', async (t) => {
  for (const text of [
    `begin { $y = 1; $x = ${'!'.repeat(59)}$y; }`,
    `begin { $x = curtask${'->parent'.repeat(58)}->pid; }`,
    `begin { $y = 1; if (${Array.from({ length: 59 }, (_, i) => `$y == ${i}`).join(' || ')}) { @x = 1; } }`,
    `begin { $s = "a"; @x = ${Array.from({ length: 59 }, () => '$s == "a"').join(' && ')}; }`,
    `begin { $p = (int64 *)0; $x = ${'*(int64 *)'.repeat(29)}$p; }`,
  ]) {
    const o = await outcomeOf(t, text);
    t.is(o.kind, 'compiled', refusal(o));
  }
});

test.serial('a 200,000-character probe name: a located error, no RegExp error', async (t) => {
  const text = `tracepoint:syscalls:${'a'.repeat(200_000)} { }`;
  t.regex(refusal(await outcomeOf(t, text)), /^stdin:1:1-200021: ERROR: No matches for tracepoint syscalls:a+\.\n/);
  const glob = `tracepoint:syscalls:${'*a'.repeat(50)}b { }`;
  // A glob matching nothing leaves its probe without attach points (missing_probes).
  t.regex(refusal(await outcomeOf(t, glob)), /^stdin:1:1-122: ERROR: Probe has no valid attach points\./);
});

test.serial('three nested unroll(100): refused at the inner count', async (t) => {
  t.is(refusal(await outcomeOf(t, 'begin { unroll(100) { unroll(100) { unroll(100) { @x++; } } } }')), [
    'stdin:1:30-33: ERROR: nested unrolls would write this body out 10000 times (100 × 100): at most 100 in all',
    'begin { unroll(100) { unroll(100) { unroll(100) { @x++; } } } }',
    '                             ~~~',
    '',
  ].join('\n'));
});

test.serial('a tuple variable reassigned with a longer string compiles', async (t) => {
  const o = await outcomeOf(t, 'begin { $a = ("hi", 1); print($a); $a = ("hellolongstr", 2); print($a); @m[$a] = 1; }');
  t.is(o.kind, 'compiled', refusal(o));
});

test.serial('a 10 KB string as a map key, a 100 KB string literal: String is too long, located', async (t) => {
  t.regex(refusal(await outcomeOf(t, `begin { @m["${'k'.repeat(10_000)}"] = 1; }`)), /^stdin:1:12-10014: ERROR: String is too long \(over 64 bytes\): k{80}\.\.\.\n/);
  t.regex(refusal(await outcomeOf(t, `begin { printf("%s\\n", "${'s'.repeat(100_000)}"); }`)), /^stdin:1:24-100026: ERROR: String is too long \(over 64 bytes\)/);
});

test.serial('values too large for the BPF stack or for one copy: a located error at the probe', async (t) => {
  // on_stack_limit keeps strings of 1 KB on the stack (larger values go to the probe's frame by default).
  t.is(refusal(await outcomeOf(t, 'config = { max_strlen = 1024; on_stack_limit = 4096 }\ntracepoint:syscalls:sys_enter_openat { @m[str(args.filename)] = 1; }')), [
    'stdin:2:1-37: ERROR: tracepoint:syscalls:sys_enter_openat: the BPF program of this probe needs more than the 512 bytes of stack BPF allows',
    'tracepoint:syscalls:sys_enter_openat { @m[str(args.filename)] = 1; }',
    '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
    'HINT: strings, tuples and structs kept at once take the stack: lower max_strlen, or keep fewer large values at a time',
    '',
  ].join('\n'));
  t.regex(refusal(await outcomeOf(t, 'begin { print(*curtask); }')), /^stdin:1:1-6: ERROR: begin: the BPF program of this probe copies a value too large for BPF to copy at once\n/);
});

test.serial('no probe left to attach: bpftrace\'s message, the skipped attach points warned about first', async (t) => {
  t.is(refusal(await outcomeOf(t, 'config = { missing_probes = ignore }\ntracepoint:nope:a*, tracepoint:nope:b* { @x = 1; }')), [
    'stdin:2:1-39: HINT: no attach point matched a probe (missing_probes = ignore leaves out those that match none)',
    'tracepoint:nope:a*, tracepoint:nope:b* { @x = 1; }',
    '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
    'No probes to attach',
    '',
  ].join('\n'));
  t.is(refusal(await outcomeOf(t, 'config = { missing_probes = warn }\ntracepoint:nope:a { @x = 1; }')), [
    'stdin:2:1-18: WARNING: No matches for tracepoint nope:a. Skipping.',
    'tracepoint:nope:a { @x = 1; }',
    '~~~~~~~~~~~~~~~~~',
    'stdin:2:1-18: WARNING: Probe has no valid attach points. It is being removed which may cause issues with program behavior.',
    'tracepoint:nope:a { @x = 1; }',
    '~~~~~~~~~~~~~~~~~',
    'No probes to attach',
    '',
  ].join('\n'));
  t.is(refusal(await outcomeOf(t, 'macro f() { 1 }')), 'stdin:1:1-16: HINT: the program has no probes\nmacro f() { 1 }\n~~~~~~~~~~~~~~~\nNo probes to attach\n');
});

test.serial('more probe instances than max_bpf_progs: upstream\'s error, at the attach point', async (t) => {
  t.regex(refusal(await outcomeOf(t, 'config = { max_bpf_progs = 10 }\ntracepoint:syscalls:sys_enter_* { @[probe] = count(); }')),
    /^stdin:2:1-32: ERROR: Your program is trying to generate more than \d{3} BPF programs, which exceeds the current limit of 10\n(.*\n){2}HINT: You can increase the limit through the BPFTRACE_MAX_BPF_PROGS environment variable.\n$/);
});
