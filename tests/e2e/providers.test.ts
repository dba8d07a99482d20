// Each provider of the spine against the kernel, and how a run ends.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, cli, fixtureProgram } from '../helpers/run.ts';

test('begin and end run in order; BEGIN/END spellings work', async (t) => {
  const r = await bpfscript(['-e', 'BEGIN { printf("one\\n"); } begin { printf("two\\n"); exit(); } END { printf("three\\n"); } end { printf("four\\n"); }']);
  t.is(r.stdout, 'one\ntwo\nthree\nfour\n\n\n');
  t.is(r.stderr, 'Attached 4 probes\n');
});

test('a script of begin and end probes only ends by itself: nothing else can fire', async (t) => {
  const started = Date.now();
  const r = await bpfscript(['-e', 'begin { @x = 1; printf("begin\\n"); } end { printf("end\\n"); }']);
  t.is(r.code, 0);
  t.is(r.stdout, 'begin\nend\n\n\n@x: 1\n');
  t.true(Date.now() - started < 20_000);
});

test('interval fires repeatedly at its rate (interval:ms, i:ms, interval:Nms)', async (t) => {
  // Counts over the run depend on how long a busy machine takes to attach and
  // to act on exit(); the time between a timer's first and last firing does
  // not: it is the period times the firings between, or more when the kernel
  // skips periods it ran late for; never less, but for how late the first
  // firing ran.
  const r = await bpfscript(['-q', '-e',
    'interval:ms:20 { @a = count(); @a_first = min(nsecs); @a_last = max(nsecs); } ' +
    'i:ms:30 { @b = count(); @b_first = min(nsecs); @b_last = max(nsecs); } interval:200ms { exit(); }']);
  t.is(r.code, 0, r.stderr);
  const value = (name: string) => Number(new RegExp(`^@${name}: (\\d+)$`, 'm').exec(r.stdout)?.[1]);
  for (const [timer, periodMs] of [['a', 20], ['b', 30]] as const) {
    const firings = value(timer);
    t.true(firings >= 3, `@${timer} fired ${firings} times`);
    const meanMs = (value(`${timer}_last`) - value(`${timer}_first`)) / (firings - 1) / 1e6;
    t.true(meanMs >= periodMs * 0.75 && meanMs <= periodMs * 3, `@${timer}: one firing every ${meanMs.toFixed(1)} ms, set to ${periodMs} ms`);
  }
});

test('every syscalls:sys_enter_* tracepoint at once: exit() detaches them all and the maps are printed', async (t) => {
  const r = await bpfscript(['-e', 'tracepoint:syscalls:sys_enter_* { @[probe] = count(); } interval:ms:500 { exit(); }'], { timeoutMs: 100_000 });
  t.is(r.code, 0, r.stderr);
  const attached = Number(/^Attached (\d+) probes$/m.exec(r.stderr)?.[1]);
  t.true(attached > 300, r.stderr);
  t.is(r.stderr, `Attached ${attached} probes\n`);
  t.regex(r.stdout, /^@\[tracepoint:syscalls:sys_enter_\w+\]: \d+$/m);
});

test('a tracepoint probe that never reads its record runs on the raw tracepoint; one with args, stacks or a shared hook stays a perf tracepoint', async (t) => {
  const getppid = fixtureProgram('getppid');
  const script = 'tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @enter = count(); } tracepoint:raw_syscalls:sys_exit /pid == cpid && args.ret >= 0/ { @exit = count(); } '
    + 'tracepoint:sched:sched_switch { @s[kstack] = count(); } tracepoint:sched:sched_wakeup { @w = count(); } rawtracepoint:sched_wakeup { @rw = count(); } '
    + 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @g = count(); }';
  const c = await bpfscript(['-d', 'c', '--dry-run', '-q', '-e', script, '-c', getppid]);
  t.deepEqual((c.stdout + c.stderr).split('\n').filter((l) => /^SEC\("(raw_tp|tracepoint)/.test(l)), [
    'SEC("raw_tp/sys_enter")',
    'SEC("tracepoint/raw_syscalls/sys_exit")',
    'SEC("tracepoint/sched/sched_switch")',
    'SEC("tracepoint/sched/sched_wakeup")',
    'SEC("raw_tp/sched_wakeup")',
    'SEC("tracepoint/syscalls/sys_enter_getppid")',
  ]);
  const r = await bpfscript(['-q', '-e', 'tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @enter = count(); } tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @g = count(); }', '-c', `${getppid} 3000`]);
  t.is(r.code, 0);
  t.regex(r.stdout, /^\n\n@enter: (\d+)\n@g: 3000\n$/);
  t.true(Number(/@enter: (\d+)/.exec(r.stdout)![1]) >= 3000);
});

test('interval:s:1 and probe names', async (t) => {
  const r = await bpfscript(['-q', '-e', 'interval:s:1 { printf("%s\\n", probe); exit(); }']);
  t.is(r.stdout, 'interval:s:1\n\n\n');
});

test('tracepoint with typed args from the format file and a wildcard', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-e', 'tracepoint:syscalls:sys_enter_getpp* /pid == cpid/ { @[probe, args.__syscall_nr] = count(); }', '-c', `${prog} 3`]);
  t.is(r.stdout, '\n\n@[tracepoint:syscalls:sys_enter_getppid, 110]: 3\n');
});

test('a tracepoint field the format file declares as an enum is the kernel\'s BTF enum: printed by name, %d its number', async (t) => {
  // hrtimer_start's `enum hrtimer_mode mode`; sleep arms a relative timer.
  const r = await bpfscript(['-q', '-e', 'tracepoint:timer:hrtimer_start /pid == cpid/ { $m = args.mode; printf("%d %s\\n", args.mode, $m); @[args.mode] = count(); exit(); }', '-c', 'sleep 0.1']);
  const m = /^(\d+) (HRTIMER_MODE_\w+)\n\n\n@\[(\w+)\]: 1\n$/.exec(r.stdout);
  t.truthy(m, r.stdout + r.stderr);
  t.is(m![3], m![2]);
  // enum hrtimer_mode's enumerators (the kernel may arm any of them; some values have two names).
  const numbers: Record<string, string> = {
    HRTIMER_MODE_ABS: '0', HRTIMER_MODE_REL: '1', HRTIMER_MODE_PINNED: '2', HRTIMER_MODE_SOFT: '4', HRTIMER_MODE_HARD: '8',
    HRTIMER_MODE_ABS_PINNED: '2', HRTIMER_MODE_REL_PINNED: '3', HRTIMER_MODE_ABS_SOFT: '4', HRTIMER_MODE_REL_SOFT: '5',
    HRTIMER_MODE_ABS_PINNED_SOFT: '6', HRTIMER_MODE_REL_PINNED_SOFT: '7', HRTIMER_MODE_ABS_HARD: '8', HRTIMER_MODE_REL_HARD: '9',
    HRTIMER_MODE_ABS_PINNED_HARD: '10', HRTIMER_MODE_REL_PINNED_HARD: '11',
  };
  t.is(numbers[m![2]!], m![1]);
});

test('tracepoint string argument read with str()', async (t) => {
  const r = await bpfscript(['-q', '-e', 't:syscalls:sys_enter_openat /pid == cpid && str(args.filename) == "/dev/null"/ { printf("%s %d\\n", str(args.filename), args.flags & 3); }', '-c', 'cat /dev/null']);
  t.is(r.stdout, '/dev/null 0\n\n\n');
});

test('rawtracepoint arguments arg0..N', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-e', 'rawtracepoint:sys_enter /pid == cpid && arg1 == 110/ { @calls = count(); }', '-c', `${prog} 5`]);
  t.is(r.stdout, '\n\n@calls: 5\n');
});

test('arg0 outside raw tracepoints is a located error', async (t) => {
  const r = await bpfscript(['-e', 'begin { print(arg0); }']);
  t.is(r.code, 1);
  t.regex(r.stderr, /^stdin:1:15-19: ERROR: The arg0 builtin can not be used with 'begin' probes\n/);
});

test('an unknown provider and a missing tracepoint are located errors', async (t) => {
  const a = await bpfscript(['-e', 'kprobe2:f { }']);
  t.is(a.stderr, 'stdin:1:1-10: ERROR: Invalid probe type: kprobe2\nkprobe2:f { }\n~~~~~~~~~\n');
  t.is(a.code, 1);
  const b = await bpfscript(['-e', 'tracepoint:nope:nothing { }']);
  t.is(b.stderr, 'stdin:1:1-24: ERROR: No matches for tracepoint nope:nothing.\ntracepoint:nope:nothing { }\n~~~~~~~~~~~~~~~~~~~~~~~\n');
  t.is(b.code, 1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} ends the run and prints the maps once`, async (t) => {
    const r = await bpfscript(['-e', 'begin { @x = 42; } interval:s:30 { exit(); }'], { signalAfterAttach: signal });
    t.is(r.stdout, '\n\n@x: 42\n');
    t.is(r.code, 0);
  });
}

test('-p PID: the run ends when the process exits', async (t) => {
  // The target outlives start-up however slow the machine is; it is killed
  // once the probes are attached, and that must end the run.
  const sleeper = spawn('sleep', ['60']);
  const run = spawn(cli, ['-p', String(sleeper.pid), '-e', 'begin { @x = 1; } interval:s:60 { exit(); }']);
  let stdout = '';
  let stderr = '';
  run.stdout.on('data', (d) => (stdout += d));
  run.stderr.on('data', (d) => {
    stderr += d;
    if (/Attached/.test(stderr)) sleeper.kill();
  });
  const code = await new Promise((resolve) => run.on('close', resolve));
  sleeper.kill();
  t.is(stdout, '\n\n@x: 1\n', stderr);
  t.is(code, 0);
});

test('--dry-run loads and attaches but runs nothing', async (t) => {
  const r = await bpfscript(['--dry-run', '-e', 'begin { printf("ran\\n"); } tracepoint:syscalls:sys_enter_getppid { @ = count(); }']);
  t.is(r.stdout, '');
  t.is(r.stderr, 'Attached 2 probes\n');
  t.is(r.code, 0);
});

test('-d c prints the generated C', async (t) => {
  const r = await bpfscript(['--dry-run', '-q', '-d', 'c', '-e', 'begin { exit(); }']);
  t.regex(r.stderr, /SEC\("raw_tp"\)\nint bs_probe_0\(void \*ctx\)/);
});

test('a script from stdin (-) and from a file, with positional parameters', async (t) => {
  const a = await bpfscript(['-q', '-'], { input: 'begin { printf("%d\\n", 1 + 1); exit(); }' });
  t.is(a.stdout, '2\n\n\n');
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-'));
  const file = join(dir, 'script.bt');
  writeFileSync(file, '// a script\nbegin {\n  printf("%d %s %d\\n", $1 + 1, $2, $#);\n  exit();\n}\n');
  const b = await bpfscript(['-q', file, '41', 'word']);
  t.is(b.stdout, '42 word 2\n\n\n');
  writeFileSync(file, 'begin {\n  printf("%d\\n", $nope);\n}\n');
  const c = await bpfscript([file]);
  t.is(c.stderr, `${file}:2:18-23: ERROR: Undefined or undeclared variable: $nope\n  printf("%d\\n", $nope);\n                 ~~~~~\n`);
  t.is(c.code, 1);
});

test('positional parameters in hex and octal, and one that needs 64 unsigned bits', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { printf("%d %o 0x%x %lu\\n", $1, $2, $3, $4); exit(); }', '123', '0775', '0x123', '0xffffffffffffffff']);
  t.is(r.stdout, '123 775 0x123 18446744073709551615\n\n\n', r.stderr);
});

test('--version, -h and an unknown flag', async (t) => {
  t.regex((await bpfscript(['--version'])).stdout, /^bpfscript v\d+\.\d+\.\d+\n$/);
  t.regex((await bpfscript(['-h'])).stdout, /^USAGE:/);
  const bad = await bpfscript(['--bogus']);
  t.is(bad.code, 1);
  t.regex(bad.stderr, /unrecognized option '--bogus'[\s\S]*USAGE:/);
});

test('-l lists tracepoints', async (t) => {
  const r = await bpfscript(['-l', 'tracepoint:syscalls:sys_enter_getpp*']);
  t.is(r.stdout, 'tracepoint:syscalls:sys_enter_getppid\n');
});

test('print(args) prints the tracepoint record without its common header', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-e', 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { print(args); }', '-c', `${prog} 1`]);
  t.is(r.stdout, '{ .__syscall_nr = 110 }\n\n\n');
});

test('syscalls tracepoints: a pointer argument is a user address, read through with *; probes of one tracepoint run in script order', async (t) => {
  // sleep 0.123 asks clock_nanosleep for 123000000 ns through a struct in its own memory.
  const r = await bpfscript(['-q', '-e', 'tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { printf("first %d.%09d ", (*args.rqtp).tv_sec, (*args.rqtp).tv_nsec); } tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { $ts = *args.rqtp; printf("second %d\\n", $ts.tv_nsec); }', '-c', 'sleep 0.123']);
  t.is(r.stderr, '');
  t.is(r.stdout, 'first 0.123000000 second 123000000\n\n\n');
});

test('tracepoint:sched:sched_switch args.prev_comm keys print real process names', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-e', 'tracepoint:sched:sched_switch { @[args.prev_comm] = count(); }', '-c', `${prog} 2000`]);
  t.regex(r.stdout, /^\n\n(@\[[^\]]+\]: \d+\n)+$/);
  t.regex(r.stdout, /@\[getppid\]: \d+/);
});

test('a tracepoint char[] field compared and printed whole loads (read from the record, not through the context pointer)', async (t) => {
  const r = await bpfscript(['-q', '-e', 'tracepoint:sched:sched_wakeup { if (args.comm == "no such comm") { print(args.comm); } $c = args.comm; printf("%d\\n", strlen($c) > 0); exit(); }']);
  // Another CPU's wakeup may run before exit() takes effect: one line or a few.
  t.regex(r.stdout, /^(1\n)+\n\n$/, r.stderr);
});

test('profile:hz fires on the CPUs that run; software events count the child\'s page faults', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-e', 'profile:hz:997 { @samples = count(); } software:page-faults:1 /pid == cpid/ { @pf = count(); } software:cs:1 { @cs = count(); }', '-c', `${prog} 3000000`]);
  t.regex(r.stdout, /@samples: [1-9]\d*\n/);
  t.regex(r.stdout, /@pf: [1-9]\d*\n/);
  t.regex(r.stdout, /@cs: [1-9]\d*\n/);
});

test('software and profile attach point errors', async (t) => {
  const a = await bpfscript(['-e', 'software:nope:1 { }']);
  t.regex(a.stderr, /^stdin:1:1-16: ERROR: nope is not a software probe\. Valid events: cpu-clock, cpu, task-clock/);
  const b = await bpfscript(['-e', 'profile:xs:1 { }']);
  t.regex(b.stderr, /^stdin:1:1-13: ERROR: xs is not an accepted unit\n/);
});

test('self:signal:SIGUSR1 runs each time bpfscript gets the signal, in script order', async (t) => {
  const r = await bpfscript(['-e', 'self:signal:SIGUSR1 { printf("first"); } self:signal:SIGUSR1 { printf(" second\\n"); exit(); }'], { signalAfterAttach: 'SIGUSR1' });
  t.is(r.stdout, 'first second\n\n\n');
  t.is(r.code, 0);
  const bad = await bpfscript(['-e', 'self:signal:SIGUSR2 { }']);
  t.regex(bad.stderr, /^stdin:1:1-20: ERROR: SIGUSR2 is not a supported signal\n/);
});

test('--probe-filter attaches only the probes whose name it finds; begin and end always run', async (t) => {
  const r = await bpfscript(['-q', '--probe-filter', 'interval:ms:(20|30)', '-e', 'begin { printf("begin\\n"); } interval:ms:10 { printf("bad\\n"); exit(); } interval:ms:20 { printf("hit\\n"); exit(); } end { printf("end\\n"); }']);
  t.regex(r.stdout, /^begin\n(hit\n)+end\n\n\n$/);
  const none = await bpfscript(['--probe-filter', 'nothing_matches', '-e', 'interval:ms:10 { }']);
  t.is(none.code, 1);
  t.is(none.stdout, 'No probes to attach\n');
  t.regex(none.stderr, /^stdin:1:1-15: HINT: --probe-filter 'nothing_matches' matched none of these probes\n/);
  const bad = await bpfscript(['--probe-filter', '[bad', '-e', 'interval:ms:10 { }']);
  t.regex(bad.stderr, /^ERROR: Invalid --probe-filter regex '\[bad': /);
});

test('the probe builtin names software and hardware probes as written (an alias stays, the count is read as a number)', async (t) => {
  const r = await bpfscript(['-q', '-e', 'software:cpu:1e5 { @[probe] = 1; exit(); }']);
  t.is(r.stdout, '\n\n@[software:cpu:100000]: 1\n');
});
