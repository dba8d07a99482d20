// The process, probe-context and time functions (stdlib/task.bt, system.bt,
// probe.bt, time.bt and their builtins) end to end against this kernel: on
// test programs, in a PID namespace, as a user and in a cgroup the tests make.
import test from 'ava';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';
import { elfFunctions } from '../../lib/host/index.ts';

async function run(program: string, ...extra: string[]) {
  return bpfscript(['-q', ...extra, '-e', program]);
}

/** JSON output: one object per line. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout.trimEnd().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('pid and tid count in the PID namespace bpfscript runs in (curr_ns, the default); init gives the initial namespace\'s ids', async (t) => {
  const program = 'begin { printf("%d %d %d %d %d %d\\n", pid, pid(curr_ns), pid(init), tid, tid(curr_ns), tid(init)); exit(); }';
  const inside = execFileSync('unshare', ['--fork', '--pid', '--mount-proc', 'bin/bpfscript', '-q', '-e', program], { encoding: 'utf8' });
  const [pid, pidNs, pidInit, tid, tidNs, tidInit] = inside.split('\n')[0]!.split(' ').map(Number);
  t.deepEqual([pid, pidNs, tid, tidNs], [1, 1, 1, 1], inside);
  t.true(pidInit! > 1 && tidInit === pidInit, inside);
  // In the initial namespace the two are the same.
  const outside = await run(program);
  const ids = outside.stdout.split('\n')[0]!.split(' ');
  t.is(new Set(ids).size, 1, outside.stdout);
});

test('a second thread: tid, comm and ppid/pcomm are its own, leader_tid and leader_comm its process\'s', async (t) => {
  const prog = fixtureProgram('named-thread');
  // begin runs in bpfscript, the parent of the -c child.
  const r = await run(`begin { @parent = pid; } uprobe:${prog}:bs_thread_target { printf("%d %d %d %s %s %s %d\\n", tid != pid, leader_tid == pid, ppid == @parent, comm, leader_comm, pcomm, leader_tid(curtask) == leader_tid); clear(@parent); }`, '-c', prog);
  t.is(r.stdout, '1 1 1 bs-worker named-thread bpfscript 1\n\n\n', r.stderr);
});

test('comm(pid) names another process where the kernel allows bpf_task_from_pid; an unknown pid warns and gives N/A', async (t) => {
  const sleeper = spawn('sleep', ['600']);
  try {
    const r = await run(`interval:ms:10 { @n++; if (@n == 1) { printf("%s|%s|%s\\n", comm(${sleeper.pid}), comm(${sleeper.pid}u + 0), comm(999999999)); exit(); } } end { clear(@n); }`);
    t.is(r.stdout.split('\n')[0], 'sleep|sleep|N/A', r.stderr);
    t.regex(r.stderr, /^stdlib\/task\.bt:\d+:\d+-\d+: WARNING: No such process \(pid=999999999\)\n/);
    const tp = await run(`tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { print(comm(${sleeper.pid})); }`, '-c', `${fixtureProgram('getppid')} 1`);
    t.is(tp.stdout, 'sleep\n\n\n', tp.stderr);
  } finally {
    sleeper.kill();
  }
});

test('comm(pid) where the kernel refuses bpf_task_from_pid (begin, uprobe) and with a non-integer pid: compile errors in bpftrace\'s words', async (t) => {
  const begin = await run('begin { print(comm(1)); }');
  t.is(begin.code, 1);
  t.regex(begin.stderr, /^stdlib\/task\.bt:\d+:\d+-\d+: ERROR: Syntax comm\(PID\) is not supported in this probe type yet\. Type: special\n/);
  t.regex(begin.stderr, /\nstdin:1:15-22: ERROR: in expansion of macro 'comm'\n/);
  const uprobe = await run(`uprobe:${fixtureProgram('uprobe-target')}:bs_uprobe_target { print(comm(1)); }`);
  t.regex(uprobe.stderr, /ERROR: Syntax comm\(PID\) is not supported in this probe type yet\. Type: uprobe\n/);
  const str = await run('interval:s:1 { print(comm("init")); }');
  t.regex(str.stderr, /^stdlib\/task\.bt:\d+:\d+-\d+: ERROR: Only integer supported for comm\(\)'s pid\n/);
});

test('uid, gid and username: root, and a user the test makes (text and JSON)', async (t) => {
  const root = await run('begin { printf("%d %d %s\\n", uid, gid, username); exit(); }');
  t.is(root.stdout, `${process.getuid!()} ${process.getgid!()} root\n\n\n`);
  const name = `bs-user-${process.pid}`;
  execFileSync('useradd', ['-M', '-N', '-s', '/usr/sbin/nologin', name]);
  try {
    const id = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }));
    const child = `setpriv --reuid=${id} --regid=${gid} --clear-groups /bin/true`;
    const r = await run('tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { printf("%d %d %s\\n", uid, gid, username); @[username] = count(); }', '-c', child);
    t.is(r.stdout, `${id} ${gid} ${name}\n\n\n@[${name}]: 1\n`, r.stderr);
    const j = await run('tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { print(username); }', '-f', 'json', '-c', child);
    t.deepEqual(jsonLines(j.stdout), [{ type: 'value', data: name }]);
  } finally {
    execFileSync('userdel', [name]);
  }
});

/** Where cgroup v2 is mounted (`/sys/fs/cgroup`, or `/sys/fs/cgroup/unified` on hybrid systems). */
function cgroup2Root(): string | undefined {
  const line = readFileSync('/proc/mounts', 'utf8').split('\n').find((l) => l.split(' ')[2] === 'cgroup2');
  return line?.split(' ')[1];
}

test('cgroup, cgroupid and cgroup_path of a cgroup the test makes; the filter picks hierarchies (text and JSON)', async (t) => {
  const root = cgroup2Root();
  if (!root) return t.fail('no cgroup v2 mount on this machine');
  const dir = join(root, `bs-cgroup-${process.pid}`);
  mkdirSync(dir);
  try {
    const id = statSync(dir, { bigint: true }).ino;
    const child = `/bin/sh -c 'echo $$ > ${dir}/cgroup.procs && exec /bin/true'`;
    const program = `tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { printf("%d %llu %s\\n", cgroup == cgroupid("${dir}"), cgroupid("${dir}"), cgroup_path(cgroup)); print(cgroup_path(cgroup, "unif*")); print(cgroup_path(cgroup, "cpu")); @[cgroup_path(cgroup)] = count(); }`;
    const r = await run(program, '-c', child);
    const name = dir.slice(root.length);
    t.is(r.stdout, `1 ${id} unified:${name}\nunified:${name}\n\n\n\n@[unified:${name}]: 1\n`, r.stderr);
    const j = await run('tracepoint:syscalls:sys_enter_exit_group /pid == cpid/ { print(cgroup_path(cgroup)); }', '-f', 'json', '-c', child);
    t.deepEqual(jsonLines(j.stdout), [{ type: 'value', data: `unified:${name}` }]);
    // The root cgroup of a hierarchy is `/`.
    const top = await run(`begin { print(cgroup_path(cgroupid("${root}"), "unified")); exit(); }`);
    t.is(top.stdout, 'unified:/\n\n\n');
  } finally {
    rmdirSync(dir);
  }
});

test('cpu, ncpus, numaid and jiffies; usermode is 1 in begin and uprobes, 0 in tracepoints', async (t) => {
  const possible = readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim().split(',')
    .reduce((n, range) => n + (range.includes('-') ? Number(range.split('-')[1]) - Number(range.split('-')[0]) + 1 : 1), 0);
  const r = await run('begin { @j = jiffies; printf("%d %d %d %d\\n", cpu < ncpus, ncpus, numaid, usermode); } interval:ms:50 { @n++; if (@n == 1) { printf("%d\\n", jiffies > @j); exit(); } } end { clear(@j); clear(@n); }');
  t.is(r.stdout, `1 ${possible} 0 1\n1\n\n\n`, r.stderr);
  const tp = await run('tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { print(usermode); }', '-c', `${fixtureProgram('getppid')} 1`);
  t.is(tp.stdout, '0\n\n\n');
  const up = await run(`uprobe:${fixtureProgram('uprobe-target')}:bs_uprobe_target { print(usermode); }`, '-c', `${fixtureProgram('uprobe-target')} 1`);
  t.is(up.stdout, '1\n\n\n');
});

test('func, retval, reg and ctx on uprobes of a test program: named, wildcard, raw address and return probes', async (t) => {
  const prog = fixtureProgram('uprobe-target');
  const fn = elfFunctions(prog).find((s) => s.name === 'bs_uprobe_target')!;
  const program = [
    `uprobe:${prog}:bs_uprobe_target { printf("%s %d %d %d %d %d\\n", func, reg("di") == arg0, reg("si") == arg1, ctx.si == arg1, reg("ip") & 0xfff, reg("sp") > 0); }`,
    `uretprobe:${prog}:bs_uprobe_target { printf("ret %s %d %d\\n", func, retval, reg("ax") == retval); }`,
    `uprobe:${prog}:bs_uprobe_tar* { @[func] = count(); }`,
    `uprobe:${prog}:0x${fn.offset.toString(16)} { @raw[func] = count(); }`,
  ].join('\n');
  const r = await run(program, '-c', `${prog} 2`);
  const low = Number(fn.address & 0xfffn);
  t.is(r.stdout, [
    `bs_uprobe_target 1 1 1 ${low} 1`, 'ret bs_uprobe_target 0 1',
    `bs_uprobe_target 1 1 1 ${low} 1`, 'ret bs_uprobe_target 11 1',
    '', '', '@[bs_uprobe_target]: 2', '@raw[bs_uprobe_target]: 2', '',
  ].join('\n'), r.stderr);
});

test("upstream's __builtin_ spellings: cpid, probetype, retval and the bare config record equal the functions they stand under", async (t) => {
  const prog = fixtureProgram('uprobe-target');
  const program = [
    'begin { printf("%d %d %s %d\\n", __builtin_cpid == cpid, __builtin_probetype == probetype(), __builtin_probetype, __builtin_config.max_strlen == config().max_strlen); }',
    `uretprobe:${prog}:bs_uprobe_target { printf("ret %d %d\\n", __builtin_retval, __builtin_retval == retval); }`,
  ].join('\n');
  const r = await run(program, '-c', `${prog} 1`);
  t.is(r.stdout, '1 1 special 1\nret 0 1\n\n\n', r.stderr);
});

test('config is the record of the settings the program was compiled with', async (t) => {
  const r = await run('config = { max_strlen = 100; stack_mode = perf } begin { printf("%d %s %d %s\\n", config.max_strlen, config().stack_mode, config.cpp_demangle, config.license); exit(); }');
  t.is(r.stdout, '100 perf 1 GPL\n\n\n', r.stderr);
  const j = await run('begin { $c = config; print(($c.max_map_keys, $c.missing_probes)); exit(); }', '-f', 'json');
  t.deepEqual(jsonLines(j.stdout), [{ type: 'value', data: [4096, 'error'] }]);
});

test('nsecs reads the boot, monotonic and TAI clocks; strftime() takes boot and TAI timestamps, %f is microseconds', async (t) => {
  const before = Date.now();
  const r = await run('begin { $m = nsecs(monotonic); $b = nsecs(boot); printf("%d %llu %llu\\n", $b >= $m, nsecs(tai) / 1000000, nsecs(sw_tai) / 1000000); printf("%s|%s\\n", strftime("%s.%f", nsecs(tai)), strftime("%s.%f", nsecs)); $t = nsecs(tai); print(strftime("%Y", $t)); exit(); }');
  const after = Date.now();
  const [clocks, dates, year] = r.stdout.split('\n');
  const [ordered, tai, swTai] = clocks!.split(' ').map(Number);
  t.is(ordered, 1);
  // TAI is ahead of UTC by the leap seconds (37 s since 2017), or equal where the kernel's offset is unset.
  for (const ms of [tai!, swTai!]) t.true(ms >= before - 1000 && ms <= after + 38_000, `${ms} vs [${before}, ${after}]`);
  const [taiText, bootText] = dates!.split('|').map(Number);
  t.true(taiText! * 1000 >= before - 1000 && taiText! * 1000 <= after + 38_000, dates);
  t.true(bootText! * 1000 >= before - 1000 && bootText! * 1000 <= after + 1000, dates);
  t.is(year, String(new Date().getFullYear()));
});

test('reg, func and ctx in kprobes compile (see tests/core/codegen/golden/registers.c); the load attempt fails with the clear kprobe error', async (t) => {
  const r = await bpfscript(['-e', 'kprobe:vfs_read { @[func, reg("ip") > 0, usermode] = count(); $regs = ctx; }']);
  t.is(r.code, 1);
  t.is(r.stderr, "ERROR: cannot attach program 'bs_probe_0' to kprobe/vfs_read: No such file or directory (ENOENT)\nHINT: this kernel was built without kprobes (CONFIG_KPROBES): use tracepoints, raw tracepoints or fentry instead\nERROR: Unable to attach probe: kprobe:vfs_read. If this is expected, set the 'missing_probes' config variable to 'warn'.\n");
});

test('misuse in probes the fixed test environment lacks is a located error in bpftrace\'s words', async (t) => {
  const prog = fixtureProgram('uprobe-target');
  const cases: [string, RegExp][] = [
    [`uprobe:${prog}:bs_uprobe_target { print(reg("eax")); }`, /^stdin:1:\d+-\d+: ERROR: 'eax' is not a valid register on this architecture \(x86_64\)\n/],
    ['rawtracepoint:sched_switch { print(reg("ip")); }', /^stdin:1:36-45: ERROR: reg can not be used with "rawtracepoint" probes\n/],
    ['rawtracepoint:sched_switch { print(ctx); }', /^stdin:1:36-39: ERROR: The ctx builtin can not be used with 'rawtracepoint' probes\n/],
  ];
  for (const [program, expected] of cases) {
    const r = await run(program);
    t.is(r.code, 1, program);
    t.regex(r.stderr, expected, program);
  }
});
