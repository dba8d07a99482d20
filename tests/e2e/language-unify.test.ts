// End to end: values of one variable or map that differ in shape but not in
// meaning (records of the same fields in another order), each field written
// where it belongs.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

const run = (program: string) => bpfscript(['-q', '-e', program]);

test('a record of the same fields in another order goes into the same variable or map, by field name', async (t) => {
  const r = await run('begin { $r = (a = { printf("1"); 1 }, b = { printf("2"); 2 }); $r = (b = { printf("3"); 30 }, a = { printf("4\\n"); 40 }); print($r); @m = (x = 1, y = "a"); @m = (y = "bc", x = (int8)3); exit(); }');
  t.is(r.stdout, '1234\n{ .a = 40, .b = 30 }\n\n\n@m: { .x = 3, .y = bc }\n', r.stderr);
});
