// `return N` in a probe: the program returns N, so N must be an integer
// (upstream's message, pointing at the whole statement).
import test from 'ava';
import { checkScript, errorOf } from './helpers.ts';

test('a probe returns integers only', (t) => {
  t.notThrows(() => checkScript('test:a { return 1; } test:b { return pid % 2; } begin { return; }'));
  t.is(errorOf('begin { return "x"; }'), [
    'stdin:1:9-19: ERROR: Probe return values can only be integers. Found string[2]',
    'begin { return "x"; }',
    '        ~~~~~~~~~~',
    '',
  ].join('\n'));
  // A comparison is a bool, not an integer (as upstream).
  t.regex(errorOf('test:a { return pid > 1; }'), /ERROR: Probe return values can only be integers. Found bool\n/);
  t.regex(errorOf('test:a { return (1, 2); }'), /^stdin:1:10-23: ERROR: Probe return values can only be integers\. Found \(int8,int8\)\n/);
});
