import test from 'ava';
import { formatPrintValue, formatAttachedProbes, formatLostEvents } from '../../../../plugins/output/text/index.ts';
import { i64, str, tuple } from '../../../helpers/output.ts';

test('print(value) adds a newline', (t) => {
  t.is(formatPrintValue(5n, i64), '5\n');
  t.is(formatPrintValue([1n, 2n, 'string'], tuple([i64, 0], [i64, 8], [str(8), 16])), '(1, 2, string)\n');
});

test('messages', (t) => {
  t.is(formatAttachedProbes(1), 'Attached 1 probe\n');
  t.is(formatAttachedProbes(2), 'Attached 2 probes\n');
  t.is(formatAttachedProbes(0), 'Attached 0 probes\n');
  t.is(formatLostEvents(12), 'Lost 12 events\n');
  t.is(formatLostEvents(1n), 'Lost 1 events\n');
});
