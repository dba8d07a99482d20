// USDT probes (systemtap-style notes) with arguments, against the kernel.
import test from 'ava';
import { bpfscript, fixtureProgram } from '../helpers/run.ts';

test('usdt probes with provider, without provider, and their arguments', async (t) => {
  const prog = fixtureProgram('usdt-target');
  const r = await bpfscript(['-q', '-e', `usdt:${prog}:bpfscript:tick { @[arg0, arg1] = count(); } usdt:${prog}:done { printf("done\\n"); }`, '-c', `${prog} 3`]);
  t.is(r.stdout, 'done\n\n\n@[0, 0]: 1\n@[1, 2]: 1\n@[2, 4]: 1\n');
});

test('usdt listing and a missing probe', async (t) => {
  const prog = fixtureProgram('usdt-target');
  const list = await bpfscript(['-l', `usdt:${prog}:*`]);
  t.is(list.stdout, `usdt:${prog}:bpfscript:tick\nusdt:${prog}:bpfscript:done\n`);
  const r = await bpfscript(['-e', `usdt:${prog}:nope { }`]);
  t.is(r.code, 1);
  t.regex(r.stderr, /ERROR: No USDT probe nope in \S+usdt-target\n/);
});
