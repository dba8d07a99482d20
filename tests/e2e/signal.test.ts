// signal(): a stdlib macro (stdlib/process.bt) that refuses, at compile time
// through `if comptime` and fail(), what it cannot do.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

test('signal("SIGKILL") ends the traced child at once (with --unsafe)', async (t) => {
  const started = Date.now();
  const r = await bpfscript(['--unsafe', '-q', '-e', 'tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ { signal("SIGKILL"); @killed = count(); }', '-c', 'sleep 20']);
  t.is(r.stdout, '\n\n@killed: 1\n');
  t.true(Date.now() - started < 10_000);
});

test('signal() needs --unsafe and refuses begin/end probes, at compile time', async (t) => {
  const safe = await bpfscript(['-e', 'interval:s:1 { signal(9); }']);
  t.is(safe.code, 1);
  t.regex(safe.stderr, /^stdlib\/process\.bt:\d+:\d+-\d+: ERROR: signal\(\) is an unsafe function being used in safe mode \(run with --unsafe\)\n/);
  t.regex(safe.stderr, /stdin:1:16-25: ERROR: in expansion of macro 'signal'/);
  const begin = await bpfscript(['--unsafe', '-e', 'begin { signal(9); }']);
  t.regex(begin.stderr, /ERROR: signal\(\) can not be used in begin or end probes/);
  const name = await bpfscript(['--unsafe', '-e', 'interval:s:1 { signal("SIGNOPE"); }']);
  t.regex(name.stderr, /ERROR: Invalid signal: SIGNOPE/);
});
