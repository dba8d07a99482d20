// End to end: records of the same fields in another order in one variable
// or map (each field written where it belongs), and maps declared with
// `let @m = hash(N)` that no probe uses.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

const run = (program: string) => bpfscript(['-q', '-e', program]);

test('a record of the same fields in another order goes into the same variable or map, by field name', async (t) => {
  const r = await run('begin { $r = (a = { printf("1"); 1 }, b = { printf("2"); 2 }); $r = (b = { printf("3"); 30 }, a = { printf("4\\n"); 40 }); print($r); @m = (x = 1, y = "a"); @m = (y = "bc", x = (int8)3); exit(); }');
  t.is(r.stdout, '1234\n{ .a = 40, .b = 30 }\n\n\n@m: { .x = 3, .y = bc }\n', r.stderr);
});

test('a declared map no probe uses: a warning, and the program runs without it', async (t) => {
  const r = await bpfscript(['-e', 'let @unused = percpuhash(1); begin { printf("ran\\n"); exit(); }']);
  t.is(r.stdout, 'ran\n\n\n');
  t.is(r.stderr, 'stdin:1:1-29: WARNING: Unused map: @unused\nlet @unused = percpuhash(1); begin { printf("ran\\n"); exit(); }\n~~~~~~~~~~~~~~~~~~~~~~~~~~~~\nAttached 1 probe\n');
  t.is(r.code, 0);
});
