// A block expression whose value is an aggregation, assigned to a map: the
// block's statements, then the aggregation assigned directly.
import test from 'ava';
import { errorOf, mapsOf } from './types/helpers.ts';

test('@m = { stmts; agg(...) } aggregates into @m; the block keeps its variables', (t) => {
  t.deepEqual(mapsOf('begin { @a = { let $x = 100; avg($x) }; @c["k"] = { $y = 2; count() }; }'), ['@a: avg_t', '@c[string[2]]: count_t']);
  t.regex(errorOf('begin { @a = { let $x = 1; count() }; print($x); }'), /^stdin:1:45-47: ERROR: Undefined or undeclared variable: \$x\n/);
});

test('anything else in a block stays as it was: a plain value, or an aggregation not assigned with =', (t) => {
  t.deepEqual(mapsOf('begin { @a = { let $x = 3; $x + 1 }; }'), ['@a: int64']);
  t.regex(errorOf('begin { $v = { count() }; }'), /count\(\) must be assigned directly to a map/);
});
