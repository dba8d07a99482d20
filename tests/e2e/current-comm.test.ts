// `comm` read from the task (task_struct.comm at its BTF offset) is the same
// 16 bytes the get_current_comm helper copies: for every syscall of the
// machine while a shell renames itself between a one-letter name and one cut
// at 15 characters, checked by a C unit that calls the helper.
import test from 'ava';
import { join } from 'node:path';
import { bpfscript, repoRoot } from '../helpers/run.ts';

const helperUnit = join(repoRoot, 'tests', 'fixtures', 'comm', 'helper-comm.bpf.c');

test('comm is read from the task, not through the helper, on this kernel', async (t) => {
  const r = await bpfscript(['--dry-run', '-d', 'c', '-e', 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }']);
  t.is(r.code, 0);
  t.regex(r.stdout + r.stderr, /bpf_get_current_task_btf\(\) \+ \d+\)/);
  t.regex(r.stdout + r.stderr, /__key0 = bs_current_comm\(\);/);
  t.notRegex(r.stdout + r.stderr, /bpf_get_current_comm\(/);
});

test('comm equals the helper\'s copy byte for byte, across renames', async (t) => {
  const script = `import "${helperUnit}";
tracepoint:raw_syscalls:sys_enter {
  if (__same_as_helper_comm(comm, sizeof(comm))) { @same = count(); } else { @differ[comm] = count(); }
  if (pid == cpid) { @child[comm] = count(); }
}`;
  const renames = "for i in $(seq 300); do printf a > /proc/self/comm; printf abcdefghijklmnop > /proc/self/comm; done";
  const r = await bpfscript(['-e', script, '-c', `sh -c '${renames}'`]);
  t.is(r.code, 0, r.stderr);
  t.notRegex(r.stdout, /@differ/);
  t.regex(r.stdout, /^@same: [1-9]\d*$/m);
  // The child's events were checked under both names (the long one cut to 15 characters).
  t.regex(r.stdout, /^@child\[a\]: [1-9]\d*$/m);
  t.regex(r.stdout, /^@child\[abcdefghijklmno\]: [1-9]\d*$/m);
});
