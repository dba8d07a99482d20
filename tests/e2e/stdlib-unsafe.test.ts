// stdlib/unsafe.bt against the kernel: refused without --unsafe with
// upstream's messages; with it, signal_thread() kills a thread and
// write_user() changes the file name a process is opening (where the kernel
// allows bpf_probe_write_user: a kernel locked down for integrity, as this
// VM's, refuses it at load). override() is kprobe-only (no kprobes here): its
// C, and write_user's, are in tests/core/codegen/golden.
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript } from '../helpers/run.ts';
import { ProgType, loadRawProgram } from '../../plugins/runtime/libbpf/features.ts';

test('without --unsafe: signal_thread, override and write_user are refused with upstream\'s messages', async (t) => {
  const cases: [string, string][] = [
    ['tracepoint:syscalls:sys_enter_openat { signal_thread(9); }', "signal_thread() is unsafe. To use you need the --unsafe flag"],
    ['kprobe:vfs_read { override(1); }', 'override() is unsafe. To use you need the --unsafe flag'],
    ['tracepoint:syscalls:sys_enter_openat { write_user(args.filename, "x", 1); }', 'write_user() is unsafe. To use you need the --unsafe flag'],
  ];
  for (const [program, message] of cases) {
    const r = await bpfscript(['-e', program]);
    t.is(r.code, 1, program);
    t.regex(r.stderr, new RegExp(`^stdlib/unsafe\\.bt:\\d+:\\d+-\\d+: ERROR: ${message.replace(/[()]/g, '\\$&')}\\n`), program);
  }
});

test('misuse with --unsafe: probe types, signal numbers, override outside kprobes and of a string', async (t) => {
  const cases: [string, RegExp][] = [
    ['begin { signal_thread(9); }', /ERROR: signal_thread\(\) can not be used for this probetype special\n/],
    ['tracepoint:syscalls:sys_enter_openat { signal_thread(100); }', /ERROR: signal_thread\(\) accepts a string literal or an integer between 1 and 64 \(inclusive\)\n/],
    ['tracepoint:syscalls:sys_enter_openat { signal_thread("SIGNOPE"); }', /ERROR: Invalid signal: SIGNOPE\n/],
    ['tracepoint:syscalls:sys_enter_openat { override(1); }', /ERROR: override\(\) can only be used inside kprobes\n/],
    ['kprobe:vfs_read { override("x"); }', /ERROR: override\(\) only supports int arguments \(string provided\)\n/],
  ];
  for (const [program, message] of cases) {
    const r = await bpfscript(['--unsafe', '-e', program]);
    t.is(r.code, 1, program);
    t.regex(r.stderr, message, program);
  }
});

test('signal_thread("SIGKILL") ends the traced child (with --unsafe)', async (t) => {
  const started = Date.now();
  const r = await bpfscript(['--unsafe', '-q', '-e', 'tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { signal_thread("KILL"); @sent = count(); }', '-c', 'sleep 20']);
  t.is(r.stdout, '\n\n@sent: 1\n');
  t.true(Date.now() - started < 15_000);
});

/**
 * Whether tracepoint programs may call bpf_probe_write_user (helper 36): a
 * kernel locked down for integrity (this VM's) refuses it. Asked of the
 * verifier with a program that calls it (libbpf 1.1's probe does not know
 * the kernel's "cannot use helper" wording).
 */
function writeUserAllowed(): boolean {
  const call = Buffer.alloc(16);
  call[0] = 0x85; // call
  call.writeInt32LE(36, 4);
  call[8] = 0x95; // exit
  return !loadRawProgram(ProgType.TRACEPOINT, call, { logLevel: 1 }).log.includes('cannot use helper');
}

test('write_user() rewrites the name a process is opening (with --unsafe); where the kernel refuses the helper, upstream\'s words', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-wu-'));
  writeFileSync(join(dir, 'aaaa'), 'the first file\n');
  writeFileSync(join(dir, 'bbbb'), 'the other file\n');
  const target = join(dir, 'aaaa');
  const program = `tracepoint:syscalls:sys_enter_openat /comm == "cat" && str(args.filename) == "${target}"/ { @ok = write_user(args.filename, "${join(dir, 'bbbb')}", ${target.length}); }`;
  const r = await bpfscript(['--unsafe', '-q', '-e', program, '-c', `cat ${target}`]);
  if (writeUserAllowed()) {
    t.is(r.stdout, 'the other file\n\n\n@ok: true\n');
  } else {
    t.is(r.code, 1);
    t.regex(r.stderr, /^ERROR: failed to load BPF object 'bpfscript': .*\nhelper bpf_probe_write_user not allowed in probe\nverifier log/);
  }
});
