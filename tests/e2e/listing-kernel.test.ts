// `-l` lists what can attach on this kernel: tracepoints from
// available_events (not ftrace's internal events), raw tracepoints from BTF
// (not the syscall events, which have none), kprobes and fentry from the
// traceable functions (none, with bpftrace's warning, where that list cannot
// be read; none, with a warning, on a kernel without kprobes).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

const tracefs = '/sys/kernel/tracing';
const functionsFile = join(tracefs, 'available_filter_functions');
const functionsReadable = (() => {
  try {
    readFileSync(functionsFile);
    return true;
  } catch {
    return false;
  }
})();
const kprobes = existsSync('/sys/bus/event_source/devices/kprobe') || existsSync(join(tracefs, 'kprobe_events'));
const unreadableWarning = `WARNING: Could not read functions from ${functionsFile}. If this is expected, use --traceable-functions to set this path manually. This file is needed in order to determine which functions can safely be traced without causing issues in the kernel.`;
const noKprobesWarning = 'WARNING: this kernel was built without kprobes (CONFIG_KPROBES): kprobe and kretprobe probes cannot attach here and are not listed';
const fixture = join(repoRoot, 'tests/fixtures/kernel-functions/available_filter_functions');

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

test('-l: kprobe and fentry list only traceable functions, each reason for none said once on stderr', async (t) => {
  const r = await bpfscript(['-l']);
  t.is(r.code, 0);
  const expected = [...(functionsReadable ? [] : [unreadableWarning]), ...(kprobes ? [] : [noKprobesWarning])];
  t.deepEqual(lines(r.stderr), expected);
  if (!functionsReadable) t.false(/^(kprobe|fentry):/m.test(r.stdout), 'no function is listed when none is known traceable');
  if (!kprobes) t.false(/^kprobe:/m.test(r.stdout));
  t.is((await bpfscript(['--no-warnings', '-l', 'kprobe:*,fentry:*'])).stderr, '');
  t.is((await bpfscript(['-l', '*sched_switch*'])).stderr, '', 'a bare name looked for everywhere gets no warning about providers');
});

test('-l kprobe:* on a kernel without kprobes: the kprobe warning alone; --traceable-functions lists the file\'s functions anyway', async (t) => {
  if (kprobes) return t.pass('this kernel has kprobes');
  const r = await bpfscript(['-l', 'kprobe:*']);
  t.is(r.stdout, '');
  t.is(r.stderr, `${noKprobesWarning}\n`);
  const named = await bpfscript(['--traceable-functions', fixture, '-l', 'kprobe:vfs_*,kretprobe:xfs:*']);
  t.is(named.stdout, 'kprobe:vfs_read\nkprobe:vfs_write\nkretprobe:xfs:xfs_blocked_fn\nkretprobe:xfs:xfs_file_read_iter\n');
  t.is(named.stderr, '');
});

test('-l fentry: the traceable functions that have a BTF prototype', async (t) => {
  const r = await bpfscript(['--traceable-functions', fixture, '-l', 'fentry:*read*,fexit:vfs_write']);
  t.is(r.stdout, 'fentry:ksys_read\nfentry:vfs_read\nfentry:xfs_file_read_iter\nfexit:vfs_write\n');
  if (!functionsReadable) t.is((await bpfscript(['-l', 'fentry:*'])).stderr, `${unreadableWarning}\n`);
});

test('-l tracepoint:* is available_events, sorted as whole names; ftrace\'s internal events are not there', async (t) => {
  const events = lines(readFileSync(join(tracefs, 'available_events'), 'utf8')).map((e) => `tracepoint:${e}`);
  const r = await bpfscript(['-l', 'tracepoint:*']);
  t.deepEqual(lines(r.stdout), [...events].sort(), 'sorted as bpftrace sorts them: `fib6:` before `fib:`');
  t.false(r.stdout.includes('tracepoint:ftrace:'));
  t.is(r.stderr, '');
});

test('-l rawtracepoint:* is BTF\'s raw tracepoints: raw_syscalls\' hooks, not the syscall events; those without a trace event too', async (t) => {
  const r = lines((await bpfscript(['-l', 'rawtracepoint:*'])).stdout);
  for (const name of ['rawtracepoint:sched_switch', 'rawtracepoint:sys_enter', 'rawtracepoint:sys_exit']) t.true(r.includes(name), name);
  t.false(r.some((l) => l.startsWith('rawtracepoint:sys_enter_')));
  t.true(r.includes('rawtracepoint:pelt_cfs_tp'), 'a raw tracepoint without a trace event (DECLARE_TRACE)');
  t.deepEqual(lines((await bpfscript(['-l', 'rawtracepoint:vmlinux:sched_switc*'])).stdout), ['rawtracepoint:sched_switch']);
  t.is((await bpfscript(['-l', '-e', 'rawtracepoint:sys_enter* { }'])).stdout, 'rawtracepoint:sys_enter\n', 'a program\'s wildcards expand over the same names');
});

test('a raw tracepoint without a trace event attaches', async (t) => {
  const r = await bpfscript(['-q', '-e', 'rawtracepoint:sched_update_nr_running_tp { @ = 1; } interval:ms:50 { exit(); }']);
  t.is(r.code, 0, r.stderr);
});

test('-l iter:* is BTF\'s iterators, those that attach without a map; one the old fixed list lacked (kmem_cache) attaches', async (t) => {
  const r = lines((await bpfscript(['-l', 'iter:*'])).stdout);
  for (const name of ['iter:task', 'iter:task_file', 'iter:kmem_cache', 'iter:ipv6_route']) t.true(r.includes(name), name);
  t.false(r.some((l) => /bpf_map_elem|sockmap|bpf_sk_storage_map|__/.test(l)), 'map-bound iterators and verifier types are not listed');
  const k = await bpfscript(['-q', '-e', 'iter:kmem_cache { @n = count(); } end { print(@n > 0); clear(@n); }']);
  t.is(k.stdout.trim(), 'true', k.stderr);
});

test('-l\'s warnings leave a shared stderr pipe blocking (`exec 2>&1; bpfscript -l -p PID | grep uprobe` must not make grep\'s writes fail)', (t) => {
  // The reader of the listing, once bpfscript has warned (fentry lists first) and while it still writes (more than a pipe holds), reads the flags of its own stdout: bpfscript's stderr.
  const r = spawnSync('bash', ['-c', `exec 2>&1\n${join(repoRoot, 'bin/bpfscript')} -l | { read -r first; cat /proc/self/fdinfo/1; cat >/dev/null; }`], { encoding: 'utf8' });
  t.regex(r.stdout, /WARNING: /);
  const flags = Number.parseInt(/^flags:\s*([0-7]+)$/m.exec(r.stdout)?.[1] ?? 'x', 8);
  t.false(Number.isNaN(flags), r.stdout);
  t.is(flags & 0o4000, 0, 'O_NONBLOCK is not set');
});
