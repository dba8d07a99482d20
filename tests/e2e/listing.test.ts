// `-l` and `-lv` as bpftrace lists: patterns for every provider, kernel
// types from BTF, kprobe arguments from BTF, a program's probes, and the
// warning for a search that looks like a missing file.
import test from 'ava';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

/** The traceable functions kprobes list here come from a file of our own (this kernel's list cannot be read). */
const traceable = ['--traceable-functions', join(repoRoot, 'tests/fixtures/kernel-functions/available_filter_functions')];

test('interval, profile and software patterns list their units and events', async (t) => {
  t.is((await bpfscript(['-l', 'interval:*'])).stdout, 'interval:hz:\ninterval:ms:\ninterval:s:\ninterval:us:\n');
  t.is((await bpfscript(['-l', 'profile:*'])).stdout, 'profile:hz:\nprofile:ms:\nprofile:s:\nprofile:us:\n');
  const sw = (await bpfscript(['-l', 'software:*'])).stdout.split('\n');
  t.true(sw.includes('software:cpu:') && sw.includes('software:cpu-clock:') && sw.includes('software:faults:'));
  t.is((await bpfscript(['-l', 'self:*'])).stdout, 'self:signal:SIGUSR1\n');
});

test('a search without a provider goes to the kernel providers; several searches split at commas', async (t) => {
  const r = await bpfscript(['-l', 'sys_enter_getppid,tracepoint:sched:sched_switch']);
  t.true(r.stdout.split('\n').includes('tracepoint:syscalls:sys_enter_getppid'), r.stdout);
  t.true(r.stdout.split('\n').includes('tracepoint:sched:sched_switch'), r.stdout);
});

test('types from BTF: names, and with -v their definitions as bpftrace prints them', async (t) => {
  t.is((await bpfscript(['-l', 'struct task_struct'])).stdout, 'struct task_struct\n');
  t.true((await bpfscript(['-l', 'struct task_str*'])).stdout.split('\n').includes('struct task_struct'));
  const fd = (await bpfscript(['-lv', 'struct fd'])).stdout;
  t.regex(fd, /^vmlinux: struct fd \{\n(\t.+;\n)+\};\n\n$/);
  const several = (await bpfscript([...traceable, '-lv', 'struct task_struct,struct file,kprobe:vfs_read'])).stdout.split('\n');
  t.deepEqual(several.filter((l) => l.startsWith('vmlinux:') || l.startsWith('kprobe:')), ['vmlinux: struct task_struct {', 'vmlinux: struct file {', 'kprobe:vfs_read']);
});

test('-lv shows kprobe arguments from BTF (arg0...) and kretprobe\'s retval', async (t) => {
  const r = await bpfscript([...traceable, '-lv', 'kprobe:vfs_read,kretprobe:vfs_read']);
  t.is(r.stdout, 'kprobe:vfs_read\n    struct file * arg0\n    char * arg1\n    size_t arg2\n    loff_t * arg3\nkretprobe:vfs_read\n    ssize_t retval\n');
});

test('-l with a program lists its probes as the listing names them; begin, end and self are left out', async (t) => {
  const r = await bpfscript(['-l', '-e', 'begin { } interval:ms:100 { } hardware:cache-misses:10 { } tracepoint:xdp:mem_connect { } self:signal:SIGUSR1 { }']);
  t.is(r.stdout, 'interval:ms:\nhardware:cache-misses:\ntracepoint:xdp:mem_connect\n');
});

test('a search that looks like a file name which does not exist is a warning, then a search', async (t) => {
  const r = await bpfscript(['-l', 'no_such_script.bt']);
  t.is(r.stderr, "WARNING: It appears that 'no_such_script.bt' is a filename but the file does not exist. Treating 'no_such_script.bt' as a search pattern.\n");
  t.is(r.code, 0);
});
