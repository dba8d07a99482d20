// missing_probes against the kernel, for each provider that can match
// nothing: bpftrace's messages, what is skipped, and `No probes to attach`.
import test from 'ava';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

/** The diagnostic lines of stderr (without the quoted source and its marker). */
const messages = (stderr: string) => stderr.split('\n').filter((l) => /(ERROR|WARNING): /.test(l)).map((l) => l.replace(/^stdin:\S+ /, ''));

test('error (the default): each attach point that matches nothing, for every provider', async (t) => {
  const prog = fixtureProgram('uprobe-target');
  const r = await bpfscript(['-e', `t:syscalls:nonsense, rawtracepoint:nonsense:sys_exit, fentry:nonsense, uprobe:${prog}:nonsense, usdt:${prog}:p:nonsense { }`]);
  t.is(r.code, 1);
  t.deepEqual(messages(r.stderr), [
    'ERROR: No matches for tracepoint syscalls:nonsense.',
    'ERROR: No matches for rawtracepoint nonsense:sys_exit.',
    'ERROR: No matches for fentry nonsense.',
    `ERROR: No matches for uprobe ${prog}:nonsense.`,
    `ERROR: No matches for usdt ${prog}:p:nonsense.`,
  ]);
});

test('a probe whose wildcards match nothing has no valid attach points', async (t) => {
  const r = await bpfscript(['-e', 'rawtracepoint:nonsense { } tracepoint:nonsense*:x { }']);
  t.deepEqual(messages(r.stderr), [
    "ERROR: Probe has no valid attach points. If this is expected, set the 'missing_probes' config variable to 'warn'.",
    "ERROR: Probe has no valid attach points. If this is expected, set the 'missing_probes' config variable to 'warn'.",
  ]);
});

test('kprobes: a function that is not traceable is a warning, then matches nothing; rcu_ functions are never traceable', async (t) => {
  const r = await bpfscript(['-e', 'kprobe:vfs_read, kprobe:bad_nonsense_fn { }']);
  t.deepEqual(messages(r.stderr), [
    'WARNING: bad_nonsense_fn is not traceable (either non-existing, inlined, or marked as "notrace"); attaching to it will likely fail',
    'ERROR: No matches for kprobe bad_nonsense_fn.',
  ]);
  const rcu = await bpfscript(['-e', 'kprobe:rcu_* { }']);
  t.deepEqual(messages(rcu.stderr), ["ERROR: Probe has no valid attach points. If this is expected, set the 'missing_probes' config variable to 'warn'."]);
  const module = await bpfscript(['-e', 'kprobe:nonsense:vfs_read { }']);
  t.deepEqual(messages(module.stderr), ['ERROR: specified module nonsense in probe kprobe:nonsense:vfs_read is not loaded.']);
  // --unsafe attaches anyway: this kernel has no kprobes, so the attach fails.
  const unsafe = await bpfscript(['--unsafe', '-e', 'kprobe:vmlinux:bad_nonsense_fn { }']);
  t.regex(unsafe.stderr, /\nERROR: Unable to attach probe: kprobe:vmlinux:bad_nonsense_fn\. If this is expected, set the 'missing_probes' config variable to 'warn'\.\n$/);
});

test('--traceable-functions FILE is the list kprobes are checked against', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bpfscript-fns-'));
  writeFileSync(join(dir, 'fns'), 'vfs_write\nsome_fn [some_module]\n');
  const none = await bpfscript(['--traceable-functions', '/dev/null', '-e', 'begin { exit(); } kprobe:vfs_read { }']);
  t.deepEqual(messages(none.stderr), [
    'WARNING: vfs_read is not traceable (either non-existing, inlined, or marked as "notrace"); attaching to it will likely fail',
    'ERROR: No matches for kprobe vfs_read.',
  ]);
  const list = await bpfscript(['--traceable-functions', join(dir, 'fns'), '-l', 'kprobe:*']);
  t.is(list.stdout, 'kprobe:some_fn\nkprobe:vfs_write\n');
  const bad = await bpfscript(['--traceable-functions', join(dir, 'nope'), '-e', 'kprobe:vfs_read { }']);
  t.deepEqual(messages(bad.stderr), [`ERROR: Could not read functions from ${join(dir, 'nope')}.`]);
});

test('warn: each is a warning and the rest runs; with nothing left, `No probes to attach` on stdout, exit 1', async (t) => {
  const r = await bpfscript(['-q', '-e', 'config = { missing_probes = warn } tracepoint:syscalls:sys_enter_read, tracepoint:nonsense:nonsense { } begin { exit(); }']);
  t.is(r.code, 0);
  t.deepEqual(messages(r.stderr), ['WARNING: No matches for tracepoint nonsense:nonsense. Skipping.']);
  const all = await bpfscript(['-e', 'config = { missing_probes = warn } t:syscalls:nonsense { } kprobe:nonsense { }']);
  t.is(all.code, 1);
  t.is(all.stdout, 'No probes to attach\n');
  t.deepEqual(messages(all.stderr), [
    'WARNING: No matches for tracepoint syscalls:nonsense. Skipping.',
    'WARNING: Probe has no valid attach points. It is being removed which may cause issues with program behavior.',
    'WARNING: nonsense is not traceable (either non-existing, inlined, or marked as "notrace"); attaching to it will likely fail',
    'WARNING: No matches for kprobe nonsense. Skipping.',
    'WARNING: Probe has no valid attach points. It is being removed which may cause issues with program behavior.',
  ]);
});

test('ignore: nothing is said, and what is left runs; with nothing left, a hint points at the probe list', async (t) => {
  const r = await bpfscript(['-q', '-e', 'config = { missing_probes = ignore } t:syscalls:nonsense { } kprobe:nonsense { } begin { @ = 1; exit(); }']);
  t.is(r.code, 0);
  t.is(r.stderr, '');
  t.is(r.stdout, '\n\n@: 1\n');
  const none = await bpfscript(['-e', 'config = { missing_probes = ignore } t:syscalls:nonsense { }']);
  t.is(none.code, 1);
  t.is(none.stdout, 'No probes to attach\n');
  t.is(none.stderr, [
    'stdin:1:38-57: HINT: no attach point matched a probe (missing_probes = ignore leaves out those that match none)',
    'config = { missing_probes = ignore } t:syscalls:nonsense { }',
    '                                     ~~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});
