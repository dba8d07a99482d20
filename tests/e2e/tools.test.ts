// The scripts in tools/ must keep compiling, loading and attaching, and the
// ones this machine can feed produce their output.
import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bpfscript, fixtureProgram, repoRoot } from '../helpers/run.ts';

const tools = readdirSync(join(repoRoot, 'tools')).filter((f) => f.endsWith('.bt')).sort();

for (const tool of tools) {
  test(`tools/${tool} compiles, loads and attaches`, async (t) => {
    const r = await bpfscript(['--dry-run', join('tools', tool)]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stderr, /Attached \d+ probes?\n/);
  });
}

test('tools/runqlat.bt draws a run queue latency histogram', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', join('tools', 'runqlat.bt'), '-c', `sh -c 'for i in 1 2 3 4 5; do ${prog} 10000; done'`]);
  t.regex(r.stdout, /^Tracing CPU scheduler run queue latency\.\.\. Hit Ctrl-C to end\.\n\n\n@usecs:\n(\S.{15} +\d+ \|@* *\|\n)+\n$/, r.stderr);
});

test('tools/statsnoop.bt reports a failed stat with its errno and path', async (t) => {
  const r = await bpfscript(['-q', join('tools', 'statsnoop.bt'), '-c', 'stat /bpfscript-no-such-file']);
  t.regex(r.stdout, /^PID {4}COMM {13}ERR PATH\n/);
  t.regex(r.stdout, /\n\d+ +stat +2 \/bpfscript-no-such-file\n/);
});

test('tools/syncsnoop.bt sees sync(2)', async (t) => {
  const r = await bpfscript(['-q', join('tools', 'syncsnoop.bt'), '-c', 'sync']);
  t.regex(r.stdout, /\n\d\d:\d\d:\d\d {2}\d+ +sync +tracepoint:syscalls:sys_enter_sync\n/);
});

test('tools/opensnoop.bt shows a failed open with its errno message; begin output precedes the command', async (t) => {
  const r = await bpfscript(['-q', join('tools', 'opensnoop.bt'), '-c', 'cat /bpfscript-missing']);
  t.regex(r.stdout, /^Tracing open syscalls\.\.\. Hit Ctrl-C to end\.\n/);
  t.regex(r.stdout, /\n\d+ +cat +-1 +2 \/bpfscript-missing\n {7}No such file or directory\n/);
});

test('tools/syscount.bt names system calls', async (t) => {
  const prog = fixtureProgram('getppid');
  const r = await bpfscript(['-q', join('tools', 'syscount.bt'), '-c', `${prog} 5000`]);
  t.regex(r.stdout, /@syscall\[getppid\]: \d{4,}\n/);
  t.regex(r.stdout, /@process\[getppid\]: \d{4,}\n/);
});

test('strerror() and syscall_name() print as text', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { printf("%s|%s|%s\\n", strerror(2), syscall_name(0), syscall_name(110)); @[syscall_name(59)] = count(); exit(); }']);
  t.is(r.stdout, 'No such file or directory|read|getppid\n\n\n@[execve]: 1\n');
});
