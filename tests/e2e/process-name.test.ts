// bpfscript's process goes by its own name, not the runtime's (`node`): in the
// comm that probes read, in print() and JSON, and for every thread of it.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

test('comm read in begin is bpfscript, printed as text and as JSON', async (t) => {
  const text = await bpfscript(['-q', '-e', 'begin { print(comm); if (comm == "bpfscript") { printf("named %d\\n", strlen(comm)); } exit(); }']);
  t.is(text.stderr, '');
  t.is(text.stdout, 'bpfscript\nnamed 9\n\n\n');
  const json = await bpfscript(['-q', '-f', 'json', '-e', 'begin { print(comm); exit(); }']);
  t.is(json.stdout.split('\n')[0], '{"type": "value", "data": "bpfscript"}');
});

test('every thread of the running process is named bpfscript', async (t) => {
  // system() runs while bpfscript is alive: the shell reads the comm of each of its threads.
  const r = await bpfscript(['-q', '--unsafe', '-e', 'begin { system("cat /proc/%d/task/*/comm | sort -u", pid); exit(); }']);
  t.is(r.stderr, '');
  t.is(r.stdout.split('\n')[0], 'bpfscript');
  t.is(r.stdout.trim(), 'bpfscript');
});
