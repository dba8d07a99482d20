// Providers this kernel cannot run (no kprobes; trampolines refused): the
// program compiles (see tests/core/codegen/golden/{kprobe,fentry}.c), the load or
// attach is really attempted, and the user gets a clear error, not a crash.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

test('kprobe: compiled and loaded; the attach failure explains the kernel lacks kprobes', async (t) => {
  const r = await bpfscript(['-e', 'kprobe:vfs_read { @[comm] = count(); }']);
  t.is(r.code, 1);
  t.is(r.stderr, "ERROR: cannot attach program 'bs_probe_0' to kprobe/vfs_read: No such file or directory (ENOENT)\nHINT: this kernel was built without kprobes (CONFIG_KPROBES): use tracepoints, raw tracepoints or fentry instead\nERROR: Unable to attach probe: kprobe:vfs_read. If this is expected, set the 'missing_probes' config variable to 'warn'.\n");
});

test('kretprobe: same, with retval typed', async (t) => {
  const r = await bpfscript(['-e', 'kretprobe:vfs_read { @ = hist(retval); }']);
  t.is(r.code, 1);
  t.regex(r.stderr, /^ERROR: cannot attach program 'bs_probe_0' to kretprobe\/vfs_read: .*\nHINT: this kernel was built without kprobes/);
});

test('fentry/fexit: typed from BTF, load refused with a hint', async (t) => {
  for (const [provider, body] of [['fentry', '@[args.count] = count();'], ['fexit', '@ = hist(retval);']]) {
    const r = await bpfscript(['-e', `${provider}:vfs_read { ${body} }`]);
    t.is(r.code, 1);
    t.is(r.stderr, `ERROR: failed to load BPF object 'bpfscript': Operation not permitted (EPERM)\nHINT: ${provider} programs run on BPF trampolines, which this kernel refuses (function tracing is blocked or unsupported): use tracepoints or raw tracepoints instead\n`);
  }
});

test('missing_probes=warn keeps running without the kprobe', async (t) => {
  const r = await bpfscript(['-q', '-e', 'config = { missing_probes = warn } kprobe:vfs_read { @k = count(); } begin { @b = 1; exit(); }']);
  t.is(r.code, 0);
  t.is(r.stdout, '\n\n@b: 1\n');
  t.regex(r.stderr, /^WARNING: cannot attach program 'bs_probe_0' to kprobe\/vfs_read/);
});

test('type errors in kprobe/fentry programs are located', async (t) => {
  const a = await bpfscript(['-e', 'kprobe:vfs_read { print(retval); }']);
  t.regex(a.stderr, /^stdin:1:25-31: ERROR: The retval builtin can not be used with 'kprobe' probes\n/);
  const b = await bpfscript(['-e', 'fentry:vfs_read { print(args.nope); }']);
  t.regex(b.stderr, /^stdin:1:25-34: ERROR: Struct\/union of type 'struct bs_fentry__vfs_read' does not contain a field named 'nope'\n/);
  const c = await bpfscript(['-e', 'fentry:no_such_function_here { }']);
  t.is(c.stderr, 'stdin:1:1-29: ERROR: No matches for fentry no_such_function_here.\nfentry:no_such_function_here { }\n~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n');
});

test('hardware: the program loads; opening the PMU counter fails with a hint', async (t) => {
  const r = await bpfscript(['-e', 'hardware:cache-misses:1000 { @ = count(); }']);
  t.is(r.code, 1);
  t.is(r.stderr, "ERROR: perf_event_open(type=0, config=3, cpu=0, pid=-1): No such file or directory (ENOENT)\nHINT: this machine exposes no such hardware counter (no PMU, as in most virtual machines): try software:cpu-clock or profile instead\nERROR: Unable to attach probe: hardware:cache-misses:1000. If this is expected, set the 'missing_probes' config variable to 'warn'.\n");
  const bad = await bpfscript(['-e', 'hardware:nope { }']);
  t.regex(bad.stderr, /ERROR: nope is not a hardware probe/);
});
