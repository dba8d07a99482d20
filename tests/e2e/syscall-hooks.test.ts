// The syscalls: tracepoints on raw_syscalls' shared hooks (one raw tracepoint
// program per hook, a program per syscall number): the same output as the
// perf tracepoints (BPFSCRIPT_NO_SHARED_HOOKS=1), and hundreds of them start
// and end in a moment.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

const PERF_TRACEPOINTS = { BPFSCRIPT_NO_SHARED_HOOKS: '1' };

/** The sections of the programs a script compiles to. */
async function sections(script: string, env: Record<string, string> = {}): Promise<string[]> {
  const r = await bpfscript(['-d', 'c', '--dry-run', '-q', '-e', script], { env });
  return (r.stdout + r.stderr).split('\n').filter((l) => /^SEC\("(raw_tp|tracepoint)/.test(l));
}

test('syscalls: tracepoints run on the raw_syscalls hooks, a program per number; a probe with a stack keeps its perf tracepoint, and so does its syscall', async (t) => {
  t.deepEqual(await sections('tracepoint:syscalls:sys_enter_openat, tracepoint:syscalls:sys_exit_read { @[probe] = count(); }'), [
    'SEC("raw_tp")',
    'SEC("raw_tp/sys_enter")',
    'SEC("raw_tp")',
    'SEC("raw_tp/sys_exit")',
  ]);
  t.deepEqual(await sections('tracepoint:syscalls:sys_enter_getppid { @s[kstack] = count(); } tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_enter_getpid { @n = count(); }'), [
    'SEC("tracepoint/syscalls/sys_enter_getppid")',
    'SEC("tracepoint/syscalls/sys_enter_getppid")',
    'SEC("raw_tp")',
    'SEC("raw_tp/sys_enter")',
  ]);
  t.deepEqual(await sections('tracepoint:syscalls:sys_enter_openat { @ = count(); }', PERF_TRACEPOINTS), ['SEC("tracepoint/syscalls/sys_enter_openat")']);
});

test('shared hooks and perf tracepoints give the same output: argument values, strings, return values, whole records, probe names, order', async (t) => {
  const script = [
    'tracepoint:syscalls:sys_enter_openat /pid == cpid/ { printf("%s dfd=%d file=%s flags=%d mode=%d nr=%d\\n", probe, args.dfd, str(args.filename), args.flags, args.mode, args.__syscall_nr); }',
    'tracepoint:syscalls:sys_exit_openat /pid == cpid/ { printf("%s ret=%d\\n", probe, args.ret); }',
    'tracepoint:syscalls:sys_enter_close /pid == cpid/ { print(args); }',
    'tracepoint:syscalls:sys_enter_close /pid == cpid/ { printf("second probe of close: fd %d\\n", args.fd); }',
    'tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_exit_read /pid == cpid/ { @calls[probe, args.__syscall_nr] = count(); }',
    'tracepoint:syscalls:sys_exit_read /pid == cpid/ { @bytes = sum(args.ret); }',
  ].join('\n');
  const args = ['-e', script, '-c', 'cat /dev/null /etc/hostname'];
  const shared = await bpfscript(args);
  const perf = await bpfscript(args, { env: PERF_TRACEPOINTS });
  t.is(shared.code, 0, shared.stderr);
  t.is(perf.code, 0, perf.stderr);
  t.is(shared.stderr, 'Attached 7 probes\n');
  t.is(shared.stderr, perf.stderr);
  t.regex(shared.stdout, /^tracepoint:syscalls:sys_enter_openat dfd=-100 file=\/dev\/null flags=0 mode=0 nr=257\ntracepoint:syscalls:sys_exit_openat ret=3\n/m);
  t.regex(shared.stdout, /^\{ \.__syscall_nr = 3, \.fd = 3 \}\nsecond probe of close: fd 3$/m);
  t.regex(shared.stdout, /^@calls\[tracepoint:syscalls:sys_enter_read, 0\]: \d+$/m);
  t.is(shared.stdout, perf.stdout);
});

test('-p filters a shared hook the same way', async (t) => {
  const script = 'tracepoint:syscalls:sys_enter_getppid { @[probe, pid] = count(); } tracepoint:syscalls:sys_exit_getppid { @ret[args.ret > 0] = count(); } interval:ms:300 { exit(); }';
  const target = spawn(fixtureProgram('getppid'), ['1000000000'], { stdio: 'ignore' });
  try {
    const r = await bpfscript(['-q', '-p', String(target.pid), '-e', script]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`^\\n\\n@\\[tracepoint:syscalls:sys_enter_getppid, ${target.pid}\\]: \\d+\\n@ret\\[true\\]: \\d+\\n$`));
  } finally {
    target.kill('SIGKILL');
  }
});

test('32-bit (ia32) syscalls fire no syscalls: tracepoint, on a shared hook as on a perf tracepoint', async (t) => {
  const program = fixtureProgram('ia32-syscalls');
  if (spawnSync(program, ['1']).status !== 0) {
    // This kernel refuses int $0x80 from a 64-bit process (no ia32 emulation, or a VM that blocks it).
    t.log('int $0x80 is not available here: nothing to compare');
    t.pass();
    return;
  }
  // ia32 getppid is number 64, which is semget's in the 64-bit table.
  const script = 'rawtracepoint:sys_enter /pid == cpid && arg1 == 64/ { @raw64 = count(); } tracepoint:syscalls:sys_enter_semget, tracepoint:syscalls:sys_exit_semget, tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_exit_getppid /pid == cpid/ { @[probe] = count(); }';
  const expected = '\n\n@[tracepoint:syscalls:sys_enter_getppid]: 7\n@[tracepoint:syscalls:sys_exit_getppid]: 7\n@raw64: 7\n';
  const shared = await bpfscript(['-q', '-e', script, '-c', `${program} 7`]);
  const perf = await bpfscript(['-q', '-e', script, '-c', `${program} 7`], { env: PERF_TRACEPOINTS });
  t.is(shared.stdout, expected);
  t.is(perf.stdout, expected);
});

/** Milliseconds of a phase in `--timings`' table. */
function phase(stderr: string, name: string): number {
  return Number(new RegExp(`^  ${name}\\s+([\\d.]+)$`, 'm').exec(stderr)?.[1]);
}

test('every sys_enter tracepoint at once: attached and detached in well under a second each, every count printed', async (t) => {
  const events = readdirSync('/sys/kernel/tracing/events/syscalls').filter((e) => e.startsWith('sys_enter_'));
  const getppid = fixtureProgram('getppid');
  const r = await bpfscript(['--timings', '-e', 'tracepoint:syscalls:sys_enter_* /pid == cpid/ { @[probe] = count(); }', '-c', `${getppid} 2000`], { timeoutMs: 100_000 });
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, new RegExp(`^Attached ${events.length} probes\\n`));
  t.regex(r.stdout, /^@\[tracepoint:syscalls:sys_enter_getppid\]: 2000$/m);
  t.regex(r.stdout, /^@\[tracepoint:syscalls:sys_enter_execve\]: 1$/m);
  t.regex(r.stdout, /^@\[tracepoint:syscalls:sys_enter_exit_group\]: 1$/m);
  for (const line of r.stdout.trim().split('\n')) t.regex(line, /^@\[tracepoint:syscalls:sys_enter_\w+\]: \d+$/);
  // Perf tracepoints took the kernel ~25 ms each to detach (~9 s for these);
  // the shared hooks are two links. Generous bounds for a loaded machine.
  t.true(phase(r.stderr, 'detach') < 1500, r.stderr);
  t.true(phase(r.stderr, 'attach') < 1500, r.stderr);
  t.true(phase(r.stderr, 'load \\(verifier\\)') < 5000, r.stderr);
});
