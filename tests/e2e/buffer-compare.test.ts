// End to end: buffers compare with == and != (one length, the same bytes).
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

test('buffers are equal when of one length with the same bytes', async (t) => {
  const r = await bpfscript(['-q', '-e', 'begin { $a = buf("hi", 2); $b = buf("bye", 3); $c = buf("hi", 2); $d = buf("hx", 2); printf("%d %d %d %d %d\\n", $a == $a, $a != $b, $a == $c, $a == $d, $a == $b); exit(); }']);
  t.is(r.stdout, '1 1 1 0 0\n\n\n', r.stderr);
});
