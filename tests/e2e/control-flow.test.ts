// Loops, scoping and blocks, end to end.
import test from 'ava';
import { bpfscript } from '../helpers/run.ts';

const run = (program: string) => bpfscript(['-q', '-e', program]);

test('for over a map: plain and aggregate values, continue and break', async (t) => {
  const r = await run('begin { @m[1] = 10; @m[2] = 20; @m[3] = 30; @c["a"] = count(); @c["b"] = count(); @c["b"] = count(); $sum = 0; for ($kv : @m) { if ($kv.0 == 2) { continue; } $sum += $kv.1; } printf("sum %d\\n", $sum); @seen = 0; for ($kv : @c) { @seen += $kv.1; } $n = 0; for ($kv : @m) { $n++; break; } printf("n %d seen %d\\n", $n, @seen); clear(@m); clear(@c); clear(@seen); exit(); }');
  t.is(r.stdout, 'sum 40\nn 1 seen 3\n\n\n');
});

test('for over a range; variables are block scoped', async (t) => {
  const r = await run('begin { $t = 0; for ($i : 1..5) { $t += $i; } for ($i : 0..2) { $s = "x"; } if (1) { $y = 1; } else { $y = "a string is fine: another $y"; } printf("%d\\n", $t); exit(); }');
  t.is(r.stdout, '10\n\n\n');
});

test('a range of 100000 loads and runs (a numeric iterator: the verifier checks the body once)', async (t) => {
  // 100000 lines of output: a loaded machine needs more than the helper's 30 s.
  const r = await bpfscript(['-q', '-e', 'config = { max_map_keys = 200000 } begin { for ($i : 0..100000) { @m[$i] = $i; } @n = count(); for ($kv : @m) { @n = count(); } exit(); }'], { timeoutMs: 100_000 });
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('@m['));
  t.is(lines.length, 100000);
  t.true(lines.includes('@m[99999]: 99999'));
  t.true(r.stdout.includes('@n: 100001'));
});

test('a while loop of a million iterations loads and runs (inside a numeric iterator); break, continue and nesting', async (t) => {
  const r = await run('begin { $i = 0; $t = 0; while ($i < 1000000) { @m[$i % 7] = $i; $t += $i % 3; $i++; } printf("%d %d\\n", $i, $t); $j = 0; while (1) { $j++; if ($j % 2 == 0) { continue; } if ($j > 9) { break; } @odd = count(); } $k = 0; $n = 0; while ($k < 3) { $l = 0; while ($l < 4) { $n++; $l++; } $k++; } printf("%d %d\\n", $j, $n); clear(@m); exit(); }');
  t.is(r.stderr, '');
  t.is(r.stdout, '1000000 999999\n11 12\n\n\n@odd: 5\n');
});

test('a loop the verifier cannot follow to its end is an error on the loop, not the verifier log', async (t) => {
  // An index that changes each iteration makes the verifier follow the loop iteration by iteration.
  const program = 'begin { $s = "abcdefgh"; $i = 0; $t = 0; while ($i < 200000) { $t += $s[$i % 8]; $i++; } printf("%d\\n", $t); exit(); }';
  const r = await bpfscript(['-q', '-e', program], { timeoutMs: 100_000 });
  t.is(r.code, 1);
  t.is(r.stdout, '');
  t.is(r.stderr, [
    'stdin:1:42-89: ERROR: the BPF verifier refused this loop: it gave up after 1000000 instructions',
    program,
    ' '.repeat(41) + '~'.repeat(47),
    'HINT: the verifier follows a loop iteration by iteration while a value that changes each time is used as an index or a size: fewer iterations, or such a value kept out of the loop, let it load',
    '',
  ].join('\n'));
});

test('range loops: break, continue, return, nesting, negative and empty ranges, bounds evaluated once', async (t) => {
  const r = await run('begin { $t = 0; for ($j : 5..10) { if ($j == 8) { break; } $t += $j; } printf("%d\\n", $t); for ($k : 3..1) { printf("never\\n"); } for ($a : 0..3) { for ($b : 0..3) { if ($b == 1) { continue; } @c[$a, $b] = 1; } } for ($x : -2..1) { printf("%d ", $x); } @e = 2; for ($y : 0..@e) { @e = 10; printf("y%d ", $y); } for ($z : 0..10) { if ($z == 1) { printf("\\n"); exit(); return; } } printf("not reached\\n"); }');
  t.is(r.stdout, '18\n-2 -1 0 y0 y1 \n\n\n@c[0, 0]: 1\n@c[0, 2]: 1\n@c[1, 0]: 1\n@c[1, 2]: 1\n@c[2, 0]: 1\n@c[2, 2]: 1\n@e: 10\n');
});

test('return inside a loop over a map (nested too) stops the walk and the probe', async (t) => {
  const r = await run('begin { @m[1] = 1; @m[2] = 2; for ($kv : @m) { if ($kv.0 == 2) { printf("found %d\\n", $kv.1); return; } } printf("not after return\\n"); } begin { for ($a : @m) { for ($b : @m) { if ($b.0 == 1) { printf("inner %d\\n", $b.0); return; } } printf("outer goes on\\n"); } printf("nor here\\n"); } begin { clear(@m); exit(); }');
  t.is(r.stdout, 'found 2\ninner 1\n\n\n', r.stderr);
});

test('a variable used outside its block is a located error', async (t) => {
  const r = await bpfscript(['-e', 'begin { if (1) { $y = 1; } print($y); }']);
  t.is(r.code, 1);
  t.regex(r.stderr, /^stdin:1:34-36: ERROR: Undefined or undeclared variable: \$y\n/);
});

test('exit() inside a map loop is refused', async (t) => {
  const r = await bpfscript(['-e', 'begin { @m[1] = 1; for ($kv : @m) { exit(); } }']);
  t.is(r.code, 1);
  t.regex(r.stderr, /ERROR: exit\(\) is not allowed inside a for loop over a map/);
});

test('block expressions, if expressions, ternaries and let with types', async (t) => {
  const r = await run('begin { let $a = { let $b = 2; $b * 3 }; let $c: uint8 = 250; $c += 10; $d = $a > 5 ? "big" : "small"; $e = if ($a == 6) { 1 } else { 2 }; printf("%d %d %s %d\\n", $a, $c, $d, $e); exit(); }');
  t.is(r.stdout, '6 4 big 1\n\n\n');
});
