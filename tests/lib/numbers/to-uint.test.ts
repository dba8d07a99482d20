// Integers given on the command line or in attach points, read as bpftrace
// reads them, with its messages.
import test from 'ava';
import { toUint } from '../../../lib/numbers/index.ts';

test('bases, separators, exponents and suffixes', (t) => {
  const value = (s: string) => {
    const r = toUint(s);
    return r.ok ? r.value : r.error;
  };
  t.is(value('1234'), 1234n);
  t.is(value('1_000'), 1000n);
  t.is(value('0x1f'), 31n);
  t.is(value('0b101'), 5n);
  t.is(value('017'), 15n);
  t.is(value('1e6'), 1_000_000n);
  t.is(value('2ms'), 2_000_000n);
  t.is(value('5u'), 5n);
  t.is(value('08'), 8n);
});

test('bpftrace\'s messages for what is not an integer', (t) => {
  const error = (s: string) => {
    const r = toUint(s);
    return r.ok ? `ok ${r.value}` : r.error;
  };
  t.is(error('a1111'), 'invalid integer: a1111');
  t.is(error('not_a_pid'), 'invalid integer: not_a_pid');
  t.is(error(''), 'invalid integer: ');
  t.is(error('111a1'), 'invalid trailing bytes: 111a1');
  t.is(error('12e'), 'invalid trailing bytes: 12e');
  t.is(error('12e3'), 'coefficient part of scientific literal must be 1-9: 12e3');
  t.is(error('99999999999999999999'), 'overflow error, maximum value is 18446744073709551615: 99999999999999999999');
  t.is(error('5000000000u'), 'overflow error, maximum value is 4294967295: 5000000000u');
});
