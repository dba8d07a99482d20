// uprobes and uretprobes on a fixture binary and on libc, against the kernel.
import test from 'ava';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

test('uprobe args and uretprobe retval on a fixture function', async (t) => {
  const prog = fixtureProgram('uprobe-target');
  const r = await bpfscript(['-q', '-e', `uprobe:${prog}:bs_uprobe_target { @[arg0, arg1] = count(); } uretprobe:${prog}:bs_uprobe_target { @ret = sum(retval); }`, '-c', `${prog} 4`]);
  t.is(r.stdout, '\n\n@[0, 0]: 1\n@[1, 10]: 1\n@[2, 20]: 1\n@[3, 30]: 1\n@ret: 66\n');
});

test('a library by name (libc), wildcards, and -l', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', '-e', 'uprobe:libc:syscal? /pid == cpid/ { @[probe] = count(); }', '-c', `${prog} 7`]);
  t.regex(r.stdout, /^\n\n@\[uprobe:\/\S+libc\.so\.6:syscall\]: 7\n$/);
  const list = await bpfscript(['-l', `uprobe:${fixtureProgram('uprobe-target')}:bs_*`]);
  t.is(list.stdout, `uprobe:${fixtureProgram('uprobe-target')}:bs_uprobe_target\n`);
});

test('uprobe errors: missing binary, missing symbol', async (t) => {
  const a = await bpfscript(['-e', 'uprobe:/no/such/binary:f { }']);
  t.is(a.stderr, "stdin:1:1-25: ERROR: uprobe target file '/no/such/binary' does not exist or is not executable\nuprobe:/no/such/binary:f { }\n~~~~~~~~~~~~~~~~~~~~~~~~\n");
  const b = await bpfscript(['-e', `uprobe:${fixtureProgram('uprobe-target')}:nope { }`]);
  t.regex(b.stderr, /ERROR: No matches for uprobe \S+uprobe-target:nope\.\n/);
});
