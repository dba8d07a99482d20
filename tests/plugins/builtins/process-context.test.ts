// The process, probe-context and time functions in the type pass (fixed
// test environment, no kernel): their types and folded values, and each
// misuse with bpftrace's words, located as the CLI prints it.
import test from 'ava';
import { errorOf, printed } from '../../core/passes/types/helpers.ts';

/** The first line of an error (the message), without the quoted source. */
function message(src: string): string {
  return errorOf(src).split('\n')[0]!;
}

// uid, gid, cgroup, numaid and jiffies call the stdlib's C units, which only a
// real compile builds: tests/e2e/process-context.test.ts has them.
test('types of the task, system and time values', (t) => {
  t.deepEqual(printed('begin { print(pid); print(pid(init)); print(tid(curr_ns)); print(comm); print(cpu); print(ncpus); print(elapsed); print(nsecs(tai)); print(curtask); }'), [
    'uint32', 'uint32', 'uint32', 'string[16]', 'uint32', 'uint64', 'uint64', 'uint64', 'struct task_struct *',
  ]);
});

test('usermode folds where the probe has no saved registers: 1 in begin/end, 0 in tracepoints; read from cs elsewhere', (t) => {
  t.deepEqual(printed('begin { print(usermode); } end { print(usermode); } tracepoint:sched:sched_switch { print(usermode); } interval:s:1 { print(usermode); }'), [
    'uint8 = 1', 'uint8 = 1', 'uint8 = 0', 'uint8',
  ]);
});

test('config is a record of the settings, folded at compile time', (t) => {
  t.deepEqual(printed('config = { max_strlen = 99 } begin { print(__builtin_config("max_strlen")); print(__builtin_config("stack_mode")); print(__builtin_config("cpp_demangle")); print(config.license); }'), [
    'uint64 = 99', 'string[9] = "bpftrace"', 'bool = 1', 'string[4]',
  ]);
  t.is(message('begin { print(__builtin_config("nope")); }'), 'stdin:1:32-38: ERROR: Unknown config setting: nope');
});

test('bare __builtin_config is the record of all settings, as upstream spells config', (t) => {
  t.deepEqual(printed('config = { max_strlen = 99 } begin { print(__builtin_config.max_strlen); print(__builtin_config.stack_mode); print(__builtin_config.cpp_demangle); }'), [
    'uint64', 'string[9]', 'bool',
  ]);
  t.is(message('begin { print(__builtin_config("a", "b")); }'), 'stdin:1:15-41: ERROR: __builtin_config() takes up to one argument (2 provided)');
});

// retval on a return probe: tests/e2e/process-context.test.ts.
test("upstream's __builtin_ spellings of cpid, probetype, arch, is_literal and retval are the same values", (t) => {
  t.deepEqual(printed('begin { print(__builtin_probetype); print(__builtin_arch); print(__builtin_is_literal(1)); print(__builtin_is_literal(pid)); }'), [
    'string[8] = "special"', 'string[7] = "x86_64"', 'bool = 1', 'bool = 0',
  ]);
  t.is(message('begin { print(__builtin_cpid); }'), 'stdin:1:15-29: ERROR: cpid cannot be used without child command');
  t.is(message('begin { print(__builtin_retval); }'), "stdin:1:15-31: ERROR: The retval builtin can not be used with 'begin' probes");
});

test('pid and tid: the namespace argument', (t) => {
  t.is(message('begin { print(pid(foo)); }'), 'stdin:1:19-22: ERROR: Invalid PID namespace mode: foo (expects: curr_ns or init)');
  t.is(message('begin { print(pid(1)); }'), 'stdin:1:15-21: ERROR: pid() only supports curr_ns and init as the argument');
  t.is(message('begin { print(tid(init, init)); }'), 'stdin:1:15-30: ERROR: tid() takes up to one argument (2 provided)');
});

test('nsecs: the clock argument', (t) => {
  t.is(message('begin { print(nsecs(realtime)); }'), 'stdin:1:21-29: ERROR: Invalid timestamp mode: realtime');
  t.is(message('begin { print(nsecs(1)); }'), 'stdin:1:15-23: ERROR: nsecs() only supports timestamp_mode arguments (int provided)');
  t.is(message('begin { print(nsecs(boot, tai)); }'), 'stdin:1:15-31: ERROR: nsecs() takes up to one argument (2 provided)');
});

test('strftime: monotonic and negative timestamps are refused', (t) => {
  t.is(message('begin { print(strftime("%s", nsecs(monotonic))); }'), 'stdin:1:15-47: ERROR: strftime() can not take a monotonic timestamp');
  t.is(message('begin { $t = nsecs(monotonic); print(strftime("%s", $t)); }'), 'stdin:1:38-56: ERROR: strftime() can not take a monotonic timestamp');
  t.is(message('begin { print(strftime("%s", -1)); }'), 'stdin:1:15-33: ERROR: strftime() does not accept negative timestamps');
  // Arithmetic makes a plain integer, taken as a boot-clock timestamp.
  t.deepEqual(printed('begin { print(strftime("%s", nsecs(monotonic) + 1)); }'), ['uint64']);
});

test('reg: probe types, register names and a literal name', (t) => {
  t.is(message('tracepoint:sched:sched_switch { print(reg("ip")); }'), 'stdin:1:39-48: ERROR: reg can not be used with "tracepoint" probes');
  t.is(message('begin { print(reg("ip")); }'), 'stdin:1:15-24: ERROR: reg can not be used with "begin" probes');
  t.is(message('interval:s:1 { print(reg("rip")); }'), "stdin:1:22-32: ERROR: 'rip' is not a valid register on this architecture (x86_64)");
  t.is(message('interval:s:1 { $r = "ip"; print(reg($r)); }'), 'stdin:1:33-40: ERROR: reg() expects a string literal (string provided)');
  t.is(message('interval:s:1 { print(reg(1)); }'), 'stdin:1:22-28: ERROR: reg() expects a string literal (int provided)');
  t.deepEqual(printed('interval:s:1 { print(reg("sp")); print(reg("pc")); }'), ['uint64', 'uint64']);
});

test('func and ctx where the probe type has none', (t) => {
  t.regex(errorOf('tracepoint:sched:sched_switch { print(func); }'), /^stdlib\/probe\.bt:\d+:\d+-\d+: ERROR: The func builtin can not be used with 'tracepoint' probes\n[^]*\nstdin:1:39-43: ERROR: in expansion of macro 'func'\n/);
  t.is(message('tracepoint:sched:sched_switch { print(ctx); }'), 'stdin:1:39-42: ERROR: Use args instead of ctx in tracepoint');
  t.is(message('begin { print(ctx); }'), "stdin:1:15-18: ERROR: The ctx builtin can not be used with 'begin' probes");
  t.deepEqual(printed('interval:s:1 { print(ctx); }'), ['void *']);
});

test('cgroupid and cgroup_path: argument kinds and counts', (t) => {
  t.is(message('begin { print(cgroupid(1)); }'), 'stdin:1:15-26: ERROR: cgroupid() expects a string literal (int provided)');
  t.is(message('begin { print(cgroupid("/nonexistent/cgroup")); }'), 'stdin:1:24-45: ERROR: Failed to get `cgroupid` for path: "/nonexistent/cgroup": No such file or directory');
  t.deepEqual(printed('begin { print(cgroupid("/")); }').map((s) => s.replace(/= \d+$/, '= N')), ['uint64 = N']);
  t.is(message('begin { print(cgroup_path("x")); }'), 'stdin:1:15-31: ERROR: cgroup_path() only supports int arguments (string provided)');
  t.is(message('begin { print(cgroup_path(1, 2)); }'), 'stdin:1:15-32: ERROR: cgroup_path() expects a string literal (int provided)');
  t.is(message('begin { print(cgroup_path()); }'), 'stdin:1:15-28: ERROR: cgroup_path() requires at least one argument (0 provided)');
  t.is(message('begin { print(cgroup_path(1, "a", "b")); }'), 'stdin:1:15-39: ERROR: cgroup_path() takes up to 2 arguments (3 provided)');
});

test('comm(pid) takes an integer', (t) => {
  t.regex(errorOf('interval:s:1 { print(comm("x")); }'), /^stdlib\/task\.bt:\d+:\d+-\d+: ERROR: Only integer supported for comm\(\)'s pid\n/);
});
