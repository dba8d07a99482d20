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
  // Without a provider the probe is searched for in every provider, so it is the probe that has nothing (as upstream).
  const r = await bpfscript(['-e', `usdt:${prog}:nope { }`]);
  t.is(r.code, 1);
  t.regex(r.stderr, /ERROR: Probe has no valid attach points\. If this is expected, set the 'missing_probes' config variable to 'warn'\.\n/);
  const named = await bpfscript(['-e', `usdt:${prog}:bpfscript:nope { }`]);
  t.is(named.code, 1);
  t.regex(named.stderr, /ERROR: No matches for usdt \S+usdt-target:bpfscript:nope\.\n/);
});
