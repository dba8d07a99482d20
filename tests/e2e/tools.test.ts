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
