// The type pass's warnings: values computed as statements and then dropped,
// reported once each however many rounds the map fixed point takes.
import test from 'ava';
import { checkScript, warningsOf } from './helpers.ts';

test('a value computed as a statement is discarded with a warning; calls, assignments and _ = are not', (t) => {
  t.is(warningsOf('begin { 1 + 1; pid; print(1); $x = 2; $x; _ = pid; exit(); }'), [
    'stdin:1:9-14: WARNING: Return value discarded.',
    'begin { 1 + 1; pid; print(1); $x = 2; $x; _ = pid; exit(); }',
    '        ~~~~~',
    'stdin:1:16-19: WARNING: Return value discarded.',
    'begin { 1 + 1; pid; print(1); $x = 2; $x; _ = pid; exit(); }',
    '               ~~~',
    'stdin:1:39-41: WARNING: Return value discarded.',
    'begin { 1 + 1; pid; print(1); $x = 2; $x; _ = pid; exit(); }',
    '                                      ~~',
    '',
  ].join('\n'));
});

test('warnings are reported once even when map types take several rounds to settle', (t) => {
  t.is(warningsOf('begin { 1; $y = @z; } interval:s:1 { 2; } end { @z = "s"; 3; }'), [
    'stdin:1:9-10: WARNING: Return value discarded.',
    'begin { 1; $y = @z; } interval:s:1 { 2; } end { @z = "s"; 3; }',
    '        ~',
    'stdin:1:38-39: WARNING: Return value discarded.',
    'begin { 1; $y = @z; } interval:s:1 { 2; } end { @z = "s"; 3; }',
    '                                     ~',
    'stdin:1:59-60: WARNING: Return value discarded.',
    'begin { 1; $y = @z; } interval:s:1 { 2; } end { @z = "s"; 3; }',
    '                                                          ~',
    '',
  ].join('\n'));
});

test('a program without dropped values has no warnings', (t) => {
  t.is(warningsOf('begin { $x = 1; @m[$x] = count(); if ($x) { print($x); } }'), '');
});

test('the first statement after return, break, continue or exit() is unreachable, warned once', (t) => {
  t.is(warningsOf('i:ms:100 { @a++; exit(); @a++; @b = 1; }'), [
    'stdin:1:26-30: WARNING: Unreachable statement.',
    'i:ms:100 { @a++; exit(); @a++; @b = 1; }',
    '                         ~~~~',
    '',
  ].join('\n'));
  t.is(warningsOf('begin { $i = 0; while ($i < 3) { $i++; if ($i == 1) { continue; $i = 5; } break; print($i); } }'), [
    'stdin:1:65-71: WARNING: Unreachable statement.',
    'begin { $i = 0; while ($i < 3) { $i++; if ($i == 1) { continue; $i = 5; } break; print($i); } }',
    '                                                                ~~~~~~',
    'stdin:1:82-91: WARNING: Unreachable statement.',
    'begin { $i = 0; while ($i < 3) { $i++; if ($i == 1) { continue; $i = 5; } break; print($i); } }',
    '                                                                                 ~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(warningsOf('i:ms:1,i:ms:2 { return; print(1); }'), [
    'stdin:1:25-33: WARNING: Unreachable statement.',
    'i:ms:1,i:ms:2 { return; print(1); }',
    '                        ~~~~~~~~',
    '',
  ].join('\n'), 'one warning for a probe of two attach points');
  t.is(warningsOf('begin { if (pid) { exit(); } print(1); }'), '', 'an exit() in a branch ends only that branch');
});

test('a declared map nothing names is warned about and left out; one that is named stays', (t) => {
  const checked = checkScript('let @a = percpuhash(1); let @b = hash(2); begin { @b[1] = 1; }');
  t.deepEqual([...checked.typed.maps.keys()], ['@b']);
  t.is(warningsOf('let @a = percpuhash(1); begin { }'), [
    'stdin:1:1-24: WARNING: Unused map: @a',
    'let @a = percpuhash(1); begin { }',
    '~~~~~~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
  t.deepEqual([...checkScript('let @a = hash(1); begin { print(len(@a)); }').typed.maps.keys()], ['@a']);
});
