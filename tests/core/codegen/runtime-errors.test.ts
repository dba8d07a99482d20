// Errors the generated program finds at run time itself (issue 10), as
// bpftrace: a divisor that may be zero gives 1 and a warning, and an array
// index past the end warns; each is a runtime_error action (an event without
// fields) at the expression. A non-zero constant divisor needs no check.
import test from 'ava';
import { compileC } from '../../../core/build/index.ts';
import type { RuntimeErrorAction } from '../../../sdk/index.ts';
import { generateScript } from '../../../testing/fixed-env/index.ts';

const DIVIDE = 'Divide or modulo by 0 detected. This can lead to unexpected results. 1 is being used as the result.';
const OOB = 'Array access out of bounds. This can lead to unexpected results.';

function runtimeErrors(src: string): string[] {
  const unit = generateScript(src);
  const errors = unit.manifest.actions.filter((a) => a.kind === 'runtime_error') as unknown as RuntimeErrorAction[];
  return errors.map((a) => `${a.span!.col}: ${a.message}`);
}

test('division and modulo by a value that may be zero report it at the expression; clang takes the C', (t) => {
  const src = 'begin { $a = 10; $b = 0; @q = $a / $b; @m = (uint64)$a % (uint64)$b; $a /= $b; @c = $a / 4; }';
  t.deepEqual(runtimeErrors(src), [`31: ${DIVIDE}`, `45: ${DIVIDE}`, `70: ${DIVIDE}`]);
  t.notThrows(() => compileC(generateScript(src).c));
});

test('an array index that may be past the end warns; a literal one in range needs no check', (t) => {
  const src = 'begin { $a = (uint8[4])1; $i = 7; @x = $a[$i]; @y = $a[2]; @s = comm[$i]; }';
  // Strings are bounded without a warning, as bpftrace.
  t.deepEqual(runtimeErrors(src), [`40: ${OOB}`]);
  t.notThrows(() => compileC(generateScript(src).c));
});
