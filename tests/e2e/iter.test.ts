// BPF iterators: the program runs once per kernel object, then the run ends.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

test('iter:task visits every task, including our own process', async (t) => {
  const r = await bpfscript(['-q', '-e', 'iter:task { @tasks = count(); } iter:task /ctx.task->pid == pid/ { printf("me %s\\n", ctx.task->comm); }']);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^me bpfscript\n\n\n@tasks: \d+\n$/);
  const n = Number(/@tasks: (\d+)/.exec(r.stdout)![1]);
  t.true(n > 10, `${n} tasks`);
});

test('iter:task_file gives file descriptors; a missing iterator is an error', async (t) => {
  const r = await bpfscript(['-q', '-e', 'iter:task_file /ctx.task->pid == pid && ctx.fd <= 2/ { @[ctx.fd] = count(); }']);
  t.is(r.stdout, '\n\n@[0]: 1\n@[1]: 1\n@[2]: 1\n', r.stderr);
  const bad = await bpfscript(['-e', 'iter:nope { }']);
  t.regex(bad.stderr, /^stdin:1:1-10: ERROR: Iterator nope is not available on this kernel/);
});
