// The binary precedence table (core/syntax/precedence.ts) against the parser
// and the formatter: for every pair of binary operators, `a OP1 b OP2 c` must
// group as the table says, and both explicit groupings must format to text
// that parses back to the same tree. The table and the grammar cannot drift.
import test from 'ava';
import { BINARY_OPERATORS, BINARY_PRECEDENCE } from '../../../core/syntax/index.ts';
import { formatExpr } from '../../../core/format/index.ts';
import { expr, sx, strip } from './helpers.ts';

const pairs = BINARY_OPERATORS.flatMap((op1) => BINARY_OPERATORS.map((op2) => [op1, op2] as const));

test('a OP1 b OP2 c groups by the table (left-associative within a level)', (t) => {
  for (const [op1, op2] of pairs) {
    const leftFirst = BINARY_PRECEDENCE[op1] >= BINARY_PRECEDENCE[op2];
    const want = leftFirst ? `(${op2} (${op1} $a $b) $c)` : `(${op1} $a (${op2} $b $c))`;
    t.is(sx(`$a ${op1} $b ${op2} $c`), want, `$a ${op1} $b ${op2} $c`);
  }
});

test('the formatter keeps both groupings of every pair', (t) => {
  for (const [op1, op2] of pairs) {
    for (const src of [`($a ${op1} $b) ${op2} $c`, `$a ${op1} ($b ${op2} $c)`]) {
      const tree = expr(src);
      const text = formatExpr(tree);
      t.deepEqual(strip(expr(text)), strip(tree), `${src} -> ${text}`);
    }
  }
});
