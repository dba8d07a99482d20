// stdlib/kernel.bt against the kernel: path() through bpf_d_path in an
// iterator (the one kind of probe here whose programs may call it: fentry does
// not load on this kernel), kfunc_exist() and kfunc_allowed() answered at
// compile time from BTF and the verifier, and their misuse.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, cli, repoRoot } from '../helpers/run.ts';

/** Runs the CLI with its stdin opened on `file`. */
function withStdin(args: string[], file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const fd = openSync(file, 'r');
    const child = spawn(cli, args, { cwd: repoRoot, stdio: [fd, 'pipe', 'pipe'] });
    closeSync(fd);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('path() of a file\'s f_path in iter:task_file: the full path; a size keeps its end (the NUL counts)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-path-'));
  const file = join(dir, 'opened-as-stdin.txt');
  writeFileSync(file, 'x');
  const r = await withStdin(['-q', '-e', 'iter:task_file /ctx.task->pid == pid && ctx.fd == 0/ { printf("%s|%s\\n", path(ctx.file->f_path), path(ctx.file->f_path, 12)); }'], file);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, `${file}|s-stdin.txt\n\n\n`);
});

test('path() outside fentry, fexit and iter probes, of a value that is no path, with a size that is no literal', async (t) => {
  const tp = await bpfscript(['-e', 'tracepoint:syscalls:sys_enter_openat { print(path(args.filename)); }']);
  t.is(tp.code, 1);
  t.regex(tp.stderr, /^stdlib\/kernel\.bt:\d+:\d+-\d+: ERROR: The path function can only be used with 'fentry', 'fexit', 'iter' probes\n/);
  const int = await bpfscript(['-e', 'iter:task_file { print(path(ctx.fd)); }']);
  t.regex(int.stderr, /ERROR: path\(\) only supports pointer or C type argument \(uint32 provided\)\n/);
  const size = await bpfscript(['-e', 'iter:task_file { $n = 8; print(path(ctx.file->f_path, $n)); }']);
  t.regex(size.stderr, /ERROR: path: invalid size value, need non-negative literal\n/);
});

test('kfunc_exist() and kfunc_allowed() fold at compile time; a program type the kfunc is not registered for says no', async (t) => {
  // begin runs as a raw_tp program, which may not call bpf_task_from_pid; an interval's perf_event program may.
  const r = await bpfscript(['-q', '-e', 'begin { printf("%d %d %d\\n", kfunc_exist("bpf_task_from_pid"), kfunc_exist("no_such_kfunc_here"), kfunc_allowed("bpf_task_from_pid")); } interval:ms:1 { if comptime (kfunc_allowed("bpf_task_from_pid")) { printf("allowed\\n"); } exit(); }']);
  t.is(r.stdout, '1 0 0\nallowed\n\n\n');
  const literal = await bpfscript(['-e', 'begin { $k = "bpf_task_from_pid"; print(kfunc_allowed($k)); }']);
  t.regex(literal.stderr, /ERROR: kfunc_allowed\(\) accepts a string literal only\n/);
});
