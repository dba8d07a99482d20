// Kernel types from BTF, end to end: typed raw tracepoint args, curtask,
// struct walks through pointers and embedded structs, casts, sizeof/offsetof.
import test from 'ava';
import { mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

/** Where cgroup v2 is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on hybrid systems). */
function cgroup2Root(): string | undefined {
  const line = readFileSync('/proc/mounts', 'utf8').split('\n').find((l) => l.split(' ')[2] === 'cgroup2');
  return line?.split(' ')[1];
}

test('the cgroup walk of sched_switch prints the real cgroup level and id', async (t) => {
  const root = cgroup2Root();
  if (!root) return t.fail('no cgroup v2 mount on this machine');
  const cg = `${root}/bpfscript-test-${process.pid}`;
  mkdirSync(cg);
  try {
    const id = statSync(cg).ino;
    const script = `rawtracepoint:sched_switch /args.next.pid == cpid/ {
  $css_set = args.next.cgroups;
  if ($css_set != 0 && $css_set.dfl_cgrp != 0) {
    $cgrp = $css_set.dfl_cgrp;
    @[$cgrp.level, $cgrp.kn.id] = count();
  }
}`;
    // The child moves itself into the new cgroup, then sleeps: waking up
    // switches it in again, now with the new cgroup.
    const r = await bpfscript(['-q', '-e', script, '-c', `sh -c 'echo $$ > ${cg}/cgroup.procs && exec sleep 0.1'`]);
    t.regex(r.stdout, new RegExp(`\\n@\\[1, ${id}\\]: \\d+\\n`), r.stderr);
  } finally {
    rmdirSync(cg);
  }
});

test('curtask walks: pid, parent, comm, embedded struct members, casts', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { $t = (struct task_struct *)curtask; printf("%d %d %s %d %d\\n", curtask->pid == pid, $t->parent->tgid > 0, curtask.comm, curtask->se.on_rq >= 0, $t->real_parent->real_parent->pid >= 0); exit(); }']);
  t.is(r.stdout, '1 1 bpfscript 1 1\n\n\n', r.stderr);
});

test('typed raw tracepoint args: print(args) shows the BTF record', async (t) => {
  const r = await bpfscript(['-q', '-e', 'rawtracepoint:sched_switch { print(args); exit(); }']);
  t.regex(r.stdout.split('\n')[0], /^\{ \.preempt = (true|false), \.prev = 0x[0-9a-f]+, \.next = 0x[0-9a-f]+, \.prev_state = \d+ \}$/);
});

test('contention_begin args.flags compiles, loads and attaches', async (t) => {
  const r = await bpfscript(['--dry-run', '-e', 'rawtracepoint:contention_begin { @[args.flags] = count(); }']);
  t.is(r.stderr, 'Attached 1 probe\n');
  t.is(r.code, 0);
});

test('sizeof and offsetof of kernel types, dereference of a kernel pointer', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { $h = curtask->tasks; printf("%d %d %d %d\\n", sizeof(struct list_head), offsetof(struct list_head, prev), sizeof($h), (*curtask).pid == pid); exit(); }']);
  t.is(r.stdout, '16 8 16 1\n\n\n', r.stderr);
});

test('a kernel typedef named bare inside typeof and sizeof is that type', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { let $g: typeof(gfp_t) = 3; let $s: typeof(size_t) = 2; let $p: typeof(size_t*) = &$s; printf("%d %d %d\\n", sizeof(gfp_t), $g, *$p); exit(); }']);
  t.is(r.stdout, '4 3 2\n\n\n', r.stderr);
});

test('a function pointer member goes into a variable that held a void pointer', async (t) => {
  const r = await bpfscript(['--dry-run', '-e', 'tracepoint:workqueue:workqueue_execute_start { $fn = (void *)0; $tl = (struct timer_list *)(args->work); $fn = $tl->function; print($fn); }']);
  t.is(r.stderr, 'Attached 1 probe\n');
  t.is(r.code, 0);
});

test('misuse of kernel types is a located error', async (t) => {
  const nope = await bpfscript(['-e', 'begin { print(curtask->nope); }']);
  t.is(nope.stderr, "stdin:1:15-28: ERROR: Struct/union of type 'struct task_struct' does not contain a field named 'nope'\nbegin { print(curtask->nope); }\n              ~~~~~~~~~~~~~\n");
  const deref = await bpfscript(['-e', 'begin { print(*pid); }']);
  t.regex(deref.stderr, /^stdin:1:15-19: ERROR: The \* operator can not be used on expressions of type 'uint32'\n/);
  const field = await bpfscript(['-e', 'begin { print(pid.x); }']);
  t.regex(field.stderr, /^stdin:1:15-20: ERROR: Can not access field 'x' on expression of type 'uint32'\n/);
  const type = await bpfscript(['-e', 'begin { print((struct nope_nope *)0); }']);
  t.regex(type.stderr, /ERROR: Unknown type: struct nope_nope\n/);
  const cast = await bpfscript(['-e', 'begin { print((struct task_struct *)"x"); }']);
  t.regex(cast.stderr, /ERROR: Cannot cast from "string\[2\]" to "struct task_struct \*"\n/);
  for (const r of [nope, deref, field, type, cast]) t.is(r.code, 1);
});

test('-lv lists typed arguments of raw tracepoints and fentry/fexit functions', async (t) => {
  const rt = await bpfscript(['-lv', 'rawtracepoint:sched_switch']);
  t.is(rt.stdout, 'rawtracepoint:sched_switch\n    bool preempt\n    struct task_struct * prev\n    struct task_struct * next\n    unsigned int prev_state\n');
  const fexit = await bpfscript(['--traceable-functions', join(repoRoot, 'tests/fixtures/kernel-functions/available_filter_functions'), '-lv', 'fexit:vfs_read']);
  t.is(fexit.stdout, 'fexit:vfs_read\n    struct file * file\n    char * buf\n    size_t count\n    loff_t * pos\n    ssize_t retval\n');
});

test('casts between integers, arrays and strings reinterpret bytes; sizes must match', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { $a = (uint8[8])12345; print($a); $b = (int8[])"abc"; print($b); $c = (uint64)$a; print($c); print((uint16[2])(uint32)0x10002); exit(); }']);
  t.is(r.stdout, '[57,48,0,0,0,0,0,0]\n[97,98,99,0]\n12345\n[2,1]\n\n\n');
  const bad = await bpfscript(['-e', 'begin { print((uint8[3])pid); }']);
  t.regex(bad.stderr, /^stdin:1:15-28: ERROR: Cannot cast from "uint32" to "uint8\[3\]": sizes differ \(4 and 3 bytes\)\n/);
});

test('pointer arithmetic moves by elements and stays a pointer', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { $p = (int32 *)curtask; $q = $p + 2; printf("%d\\n", (uint64)$q - (uint64)$p); $t = curtask; printf("%d %d\\n", (uint64)($t + 1) - (uint64)$t == sizeof(struct task_struct), ($t + 0)->pid == pid); exit(); }']);
  t.is(r.stdout, '8\n1 1\n\n\n', r.stderr);
});

test('ksym() prints kernel addresses as symbols (printf, print, map keys); kaddr() resolves at compile time', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { $a = kaddr("vfs_read"); printf("%s %s\\n", ksym($a), ksym($a + 5)); print(ksym(kaddr("do_sys_openat2"))); @[ksym(kaddr("vfs_write"))] = count(); exit(); }']);
  t.is(r.stdout, 'vfs_read vfs_read\ndo_sys_openat2\n\n\n@[vfs_write]: 1\n', r.stderr);
  const timers = await bpfscript(['-q', '-e', 'tracepoint:timer:hrtimer_start { @[ksym(args.function)] = count(); } interval:ms:300 { exit(); }']);
  t.regex(timers.stdout, /@\[[a-z_][a-z0-9_.]*\]: \d+\n/);
  const bad = await bpfscript(['-e', 'begin { print(kaddr("no_such_symbol_anywhere")); }']);
  t.regex(bad.stderr, /^stdin:1:15-47: ERROR: Failed to resolve kernel symbol: no_such_symbol_anywhere\n.*\n {14}~{32}\n/);
});

test('kstack: frames as bpftrace prints them, as map keys and with printf; perf and raw modes, limits', async (t) => {
  const r = await bpfscript(['-q', '-e', 'tracepoint:sched:sched_switch /pid == cpid/ { @[kstack] = count(); @two[kstack(2)] = count(); printf("%s|\\n", kstack(raw, 1)); }', '-c', 'sleep 0.1']);
  t.regex(r.stdout, /@\[\n( {8}[A-Za-z0-9_.]+\+\d+\n)+\]: \d+\n/, r.stderr);
  // Which frame comes first depends on the kernel (some show __traceiter_sched_switch above __schedule).
  t.regex(r.stdout, /@two\[\n( {8}[A-Za-z0-9_.]+\+\d+\n){2}\]: \d+\n/);
  t.regex(r.stdout, /^\n[0-9a-f]{16}\n\|$/m);
  const bad = await bpfscript(['-e', 'begin { print(kstack(500)); }']);
  t.regex(bad.stderr, /ERROR: kstack\(\) limit must be 1\.\.127/);
});

test('tracepoint arguments that point at kernel structs are typed from BTF: members through -> and ., user memory for syscalls', async (t) => {
  const r = await bpfscript(['-q', '-e', 'tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { printf("%d %d\\n", args.rqtp->tv_sec, args.rqtp.tv_nsec); exit(); }', '-c', 'sleep 1.25']);
  t.is(r.stdout, '1 250000000\n\n\n', r.stderr);
  // Two tracepoints of one probe, `const struct x *` and `struct x *`: one map value type.
  const both = await bpfscript(['--mode', 'codegen', '-e', 'tracepoint:syscalls:sys_enter_clock_nanosleep, tracepoint:syscalls:sys_enter_nanosleep { @rqtp[tid] = args.rqtp; } tracepoint:syscalls:sys_exit_nanosleep { $t = @rqtp[tid]; printf("%d\\n", $t.tv_sec); }']);
  t.is(both.code, 0, both.stderr);
});
