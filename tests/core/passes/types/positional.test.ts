// The type pass on positional parameters that are numbers: upstream reads
// decimal (negative too), 0x hex and 0NNN octal, up to 2^64-1 (unsigned).
import test from 'ava';
import { printed } from './helpers.ts';

test('a positional parameter in decimal, hex or octal is that integer; one past int64 is uint64', (t) => {
  t.deepEqual(printed('begin { print($1); print($2); print($3); print($4); print($5); print($6); }', {
    positional: ['123', '0x123', '0775', '-5', '0xffffffffffffffff', '0'],
  }), ['int64 = 123', 'int64 = 291', 'int64 = 509', 'int64 = -5', 'uint64 = 18446744073709551615', 'int64 = 0']);
});

test('anything else is a string: a word, 08 (no octal digit), a number past 2^64-1', (t) => {
  t.deepEqual(printed('begin { print($1); print($2); print($3); }', { positional: ['hello', '08', '99999999999999999999'] }), [
    'string[6]', 'string[3]', 'string[21]',
  ]);
});
