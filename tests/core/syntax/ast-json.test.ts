// ASTs through JSON (core/syntax/ast-json.ts): a tree the encoding accepts
// comes back equal; anything JSON would change is refused.
import test from 'ava';
import { isPlainTree, parse, treeFromJson, treeToJson } from '../../../core/syntax/index.ts';

test('a parsed program comes back equal, bigints included', (t) => {
  const program = parse('BEGIN { $x = 18446744073709551615; $y = -1; @a["s", 2] = (1, true); if ($x > 1) { print($x ?: 3); } }', 'stdin');
  t.true(isPlainTree(program));
  const back = treeFromJson(treeToJson(program));
  t.deepEqual(back, program);
});

test('trees JSON would change are refused', (t) => {
  const shared = { kind: 'Integer', value: 1n };
  t.false(isPlainTree({ a: shared, b: shared }), 'an object held twice');
  t.false(isPlainTree({ a: undefined }), 'an undefined member');
  t.false(isPlainTree({ a: Number.NaN }));
  t.false(isPlainTree({ a: -0 }));
  t.false(isPlainTree({ a: new Map() }), 'a class instance');
  t.false(isPlainTree({ a: () => 1 }));
  t.false(isPlainTree({ [Symbol('s')]: 1 }));
  t.false(isPlainTree({ $bigint: '1' }), 'what the encoding uses for bigints');
  // eslint-disable-next-line no-sparse-arrays
  t.false(isPlainTree([1, , 3]), 'a hole');
  t.true(isPlainTree({ a: [1, 'b', null, false, 2n, { c: 1.5 }] }));
});
