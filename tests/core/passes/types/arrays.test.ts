// The type pass on arrays (issue 10): a literal index past the end is refused
// at compile time (a variable one warns at run time, see codegen), and
// integer arrays of one type compare with == and != only.
import test from 'ava';
import { errorOf, printed } from './helpers.ts';

test('a literal index past the end of an array or a string is refused', (t) => {
  t.is(errorOf('begin { $a = (uint8[4])1; print($a[4]) }'), [
    'stdin:1:33-38: ERROR: the index 4 is out of bounds for array of size 4',
    'begin { $a = (uint8[4])1; print($a[4]) }',
    '                                ~~~~~',
    '',
  ].join('\n'));
  t.regex(errorOf('begin { print(curtask->comm[16]) }'), /ERROR: the index 16 is out of bounds for array of size 16\n/);
  t.deepEqual(printed('begin { $a = (uint8[4])1; print($a[3]); $i = 9; print($a[$i]); }'), ['uint8', 'uint8']);
});

test('integer arrays of one type compare with == and !=', (t) => {
  t.deepEqual(printed('begin { $a = (uint8[4])1; $b = (uint8[4])2; print($a == $b); print($a != $b); }'), ['bool', 'bool']);
  t.regex(errorOf('begin { $a = (uint8[4])1; $b = (uint8[4])2; print($a < $b) }'), /ERROR: The < operator cannot be used on arrays\.\n/);
  t.regex(errorOf('begin { $a = (uint8[4])1; $b = (uint8[8])2; print($a == $b) }'), /ERROR: Only arrays of same size support comparison operators\.\n/);
  t.regex(errorOf('begin { $a = (uint8[4])1; $b = (int8[4])2; print($a == $b) }'), /ERROR: Only arrays of same sized integer support comparison operators\.\n/);
});
