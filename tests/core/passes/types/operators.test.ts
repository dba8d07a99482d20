// The type pass on operators: result types and signedness, folding of
// constant operands, conditions, ternaries and if expressions, and every
// error with the exact diagnostic the CLI prints.
import test from 'ava';
import { errorOf, printed } from './helpers.ts';

test('arithmetic is 64-bit; unsigned when an unsigned side meets a non-negative one, except for -', (t) => {
  t.deepEqual(printed('begin { $i = (int32)1; $u = (uint32)1; print($i + $u); print($u + 2); print($u * $u); print($u - 1); print($u + (int32)-1); print($i / 2); }'), [
    'int64',
    'uint64',
    'uint64',
    'int64',
    'int64',
    'int64',
  ]);
});

test('constant operands fold, wrapping as the result type does', (t) => {
  t.deepEqual(printed('begin { print(1 + 2 * 3); print((uint8)255 + 1); print((uint32)10 / 3); print((uint32)1 - 2); print(-(-3)); print((uint32)1 + (int32)-1); }'), [
    'int64 = 7',
    'uint64 = 256',
    'uint64 = 3',
    'int64 = -1',
    'int64 = 3',
    'int64 = 0',
  ]);
});

test('division by zero and shifts past 63 bits are left to run time', (t) => {
  t.deepEqual(printed('begin { print(5 % 0); print(5 / 0); print(1 << 64); print(1 << 3); }'), ['int64', 'int64', 'int64', 'int64 = 8']);
});

test('~ keeps the operand\'s signedness; ! and comparisons are bool', (t) => {
  t.deepEqual(printed('begin { print(~(uint8)0); print(~0); print(!0); print(!5); print(2 > 1); print(2 >= 3); print(2 > 1 && 0); }'), [
    'uint64 = 18446744073709551615',
    'int64 = -1',
    'bool = 1',
    'bool = 0',
    'bool = 1',
    'bool = 0',
    'bool',
  ]);
});

test('strings compare with == and != only, and fold when both are constant', (t) => {
  t.deepEqual(printed('begin { print("a" == "a"); print("a" != "a"); print(comm == "x"); }'), ['bool = 1', 'bool = 0', 'bool']);
  t.is(errorOf('begin { "a" < "b" }'), [
    'stdin:1:9-18: ERROR: Operator < is not supported on strings',
    'begin { "a" < "b" }',
    '        ~~~~~~~~~',
    '',
  ].join('\n'));
});

test('operands of other kinds are type mismatches', (t) => {
  t.is(errorOf('begin { print(1 == "a") }'), [
    "stdin:1:15-23: ERROR: Type mismatch for '==': comparing int8 with string[2]",
    'begin { print(1 == "a") }',
    '              ~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { print("a" + 1) }'), [
    "stdin:1:15-22: ERROR: Type mismatch for '+': string[2] and int8",
    'begin { print("a" + 1) }',
    '              ~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { print(-"s") }'), [
    'stdin:1:15-19: ERROR: The - operator needs an integer operand, got string[2]',
    'begin { print(-"s") }',
    '              ~~~~',
    '',
  ].join('\n'));
  // & takes the address of what has one (issue 10: variables, maps, struct members in memory), nothing else.
  t.is(errorOf('begin { $x = 1; print(&($x + 1)) }'), [
    'stdin:1:23-32: ERROR: The & operator needs a variable, a map or a member of a struct in memory',
    'begin { $x = 1; print(&($x + 1)) }',
    '                      ~~~~~~~~~',
    '',
  ].join('\n'));
});

test('++ and -- need an integer variable or map', (t) => {
  t.deepEqual(printed('begin { $i = 1; print($i++); print(--$i); @n++; print(@n + 0); }'), ['int64', 'int64', 'int64']);
  t.is(errorOf('begin { $s = "a"; $s++ }'), [
    'stdin:1:19-23: ERROR: The ++ operator needs an integer variable or map',
    'begin { $s = "a"; $s++ }',
    '                  ~~~~',
    '',
  ].join('\n'));
});

test('conditions are integers, bools or pointers', (t) => {
  t.deepEqual(printed('begin { $p = curtask; if ($p) { print(1); } while ($p && 1) { break; } }'), ['int8 = 1']);
  t.is(errorOf('begin { if ("str") { } }'), [
    'stdin:1:13-18: ERROR: Invalid condition: expected integer, bool or pointer, got string[4]',
    'begin { if ("str") { } }',
    '            ~~~~~',
    '',
  ].join('\n'));
});

test('ternaries and if expressions unify their branches', (t) => {
  t.deepEqual(printed('begin { print(1 ? (uint8)2 : (uint16)3); print(1 ?: 2); print(if (pid) { "ab" } else { "abcd" }); }'), ['uint64', 'int64', 'string[5]']);
  t.deepEqual(printed('begin { print(pid ? buf("hi", 2) : buf("bye", 3)); }'), ['buffer[3]']);
  t.is(errorOf('begin { $x = 1 ? 2 : "a" }'), [
    'stdin:1:14-25: ERROR: Ternary operator branches have different types: int8 and string[2]',
    'begin { $x = 1 ? 2 : "a" }',
    '             ~~~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { print(if (1) { 1 } else { "a" }) }'), [
    'stdin:1:15-40: ERROR: if expression branches have different types: int8 and string[2]',
    'begin { print(if (1) { 1 } else { "a" }) }',
    '              ~~~~~~~~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('a block expression has the type of its value, and folds only without statements', (t) => {
  t.deepEqual(printed('begin { print({ 4 }); print({ $x = 1; $x + 1 }); print({ $y = 1; 2 }); }'), ['int8 = 4', 'int64', 'int8']);
});

test('buffers compare with == and != only', (t) => {
  t.deepEqual(printed('begin { $a = buf("hi", 2); $b = buf("bye", 3); print($a == $b); print($a != $a); }'), ['bool', 'bool']);
  t.regex(errorOf('begin { $a = buf("hi", 2); print($a < $a); }'), /ERROR: Operator < is not supported on buffers/);
});
