// The type pass at compile time: constants folded from sizeof, offsetof,
// typeinfo, positional parameters and builtins; `if comptime` and `comptime
// c ? a : b` pruning the branch not taken before it is checked; unroll counts.
import test from 'ava';
import type * as A from '../../../../core/syntax/ast.ts';
import { checkScript, errorOf, printed } from './helpers.ts';

test('sizeof and offsetof fold, kernel structs included', (t) => {
  t.deepEqual(printed('begin { print(sizeof(uint32)); print(sizeof(struct task_struct)); print(offsetof(struct task_struct, parent)); print(sizeof(curtask->comm)); print(sizeof((1, "ab"))); }'), [
    'uint64 = 4',
    'uint64 = 48',
    'uint64 = 24',
    'uint64 = 16',
    'uint64 = 4',
  ]);
});

test('typeinfo fields fold to strings', (t) => {
  t.deepEqual(printed('begin { $a = (uint8)1; print(typeinfo($a).full_type); print(typeinfo($a).base_type); print(typeinfo(curtask).base_type); }'), [
    'string[6] = "uint8"',
    'string[4] = "int"',
    'string[8] = "pointer"',
  ]);
});

test('positional parameters: numbers fold, other text is a string; $# is their count', (t) => {
  t.deepEqual(printed('begin { print($1); print($2); print($#); print($3); }', { positional: ['5', 'abc'] }), ['int64 = 5', 'string[4]', 'int64 = 2', 'int64 = 0']);
});

test('probetype folds per probe', (t) => {
  t.deepEqual(printed('begin { print(probetype); } tracepoint:sched:sched_switch { print(probetype); } interval:s:1 { print(probetype); }'), [
    'string[8] = "special"',
    'string[11] = "tracepoint"',
    'string[9] = "interval"',
  ]);
});

test('if comptime checks only the branch taken, per probe', (t) => {
  const src = 'tracepoint:sched:sched_switch,interval:s:1 { if comptime (probetype == "tracepoint") { print(args.prev_pid); } else { print(comm); } }';
  t.deepEqual(printed(src), ['int32', 'string[16]']);
  const { typed } = checkScript(src);
  t.deepEqual(typed.instances.map((i) => [...i.comptimeBranches.values()]), [[true], [false]]);
});

test('fail() in a branch taken is the error; in a pruned branch it is never checked', (t) => {
  t.deepEqual(printed('interval:s:1 { if comptime (probetype == "interval") { print(1); } else { fail("only for intervals"); } }'), ['int8 = 1']);
  t.is(errorOf('begin { if comptime (probetype == "interval") { print(1); } else { fail("only for intervals, not %s", "begin"); } }'), [
    'stdin:1:68-111: ERROR: only for intervals, not begin',
    'begin { if comptime (probetype == "interval") { print(1); } else { fail("only for intervals, not %s", "begin"); } }',
    '                                                                   ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('a comptime condition must not depend on run-time values', (t) => {
  t.is(errorOf('begin { $x = 2; if comptime ($x > 1) { } }'), [
    'stdin:1:30-36: ERROR: Unable to evaluate comptime condition: it depends on run-time values',
    'begin { $x = 2; if comptime ($x > 1) { } }',
    '                             ~~~~~~',
    '',
  ].join('\n'));
});

test('comptime expressions fold; a comptime ternary types only its branch taken', (t) => {
  t.deepEqual(printed('begin { print(comptime (1 + 2)); print(comptime (1 > 2) ? "no" : "yes"); print(comptime (sizeof(uint8) == 1) ? 7 : "x"); }'), [
    'int64 = 3',
    'string[4] = "yes"',
    'int8 = 7',
  ]);
  t.is(errorOf('begin { print(comptime pid) }'), [
    'stdin:1:15-27: ERROR: Unable to evaluate expression at compile time',
    'begin { print(comptime pid) }',
    '              ~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('static_assert from the standard library fails at its call', (t) => {
  t.deepEqual(printed('begin { static_assert(sizeof(uint32) == 4, "fine"); print(1); }'), ['int8 = 1']);
  t.is(errorOf('begin { static_assert(sizeof(uint32) == 8, "uint32 is not 8 bytes"); }'), [
    'stdlib/meta.bt:51:5-14: ERROR: uint32 is not 8 bytes',
    '    fail(msg);',
    '    ~~~~~~~~~',
    "stdin:1:9-68: ERROR: in expansion of macro 'static_assert'",
    'begin { static_assert(sizeof(uint32) == 8, "uint32 is not 8 bytes"); }',
    '        ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('unroll counts are constants from 1 to 100', (t) => {
  const { typed } = checkScript('begin { unroll(2 + 1) { print(1); } }');
  const unroll = [...typed.instances[0].exprTypes.keys()].find((e): e is A.Binary => e.kind === 'Binary')!;
  t.is(typed.instances[0].constants.get(unroll), 3n);
  t.is(errorOf('begin { $x = 3; unroll($x) { } }'), [
    'stdin:1:24-26: ERROR: unroll count must be a constant integer',
    'begin { $x = 3; unroll($x) { } }',
    '                       ~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { unroll(101) { } }'), [
    'stdin:1:16-19: ERROR: unroll maximum value is 100',
    'begin { unroll(101) { } }',
    '               ~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { unroll(0) { } }'), [
    'stdin:1:16-17: ERROR: unroll minimum value is 1',
    'begin { unroll(0) { } }',
    '               ~',
    '',
  ].join('\n'));
});

test('nested unrolls write their body out at most 100 times in all', (t) => {
  t.notThrows(() => checkScript('begin { unroll(10) { unroll(10) { @x++; } } }'));
  t.notThrows(() => checkScript('begin { unroll(100) { unroll(1) { @x++; } } unroll(100) { @y++; } }'));
  t.is(errorOf('begin { unroll(100) { unroll(100) { unroll(100) { @x++; } } } }'), [
    'stdin:1:30-33: ERROR: nested unrolls would write this body out 10000 times (100 × 100): at most 100 in all',
    'begin { unroll(100) { unroll(100) { unroll(100) { @x++; } } } }',
    '                             ~~~',
    '',
  ].join('\n'));
  // A macro's unroll inside the caller's counts as nested too.
  t.regex(errorOf('macro twice(@m) { unroll(2) { @m++; } 0 } begin { unroll(60) { twice(@x); } }'), /ERROR: nested unrolls would write this body out 120 times \(60 × 2\): at most 100 in all/);
});

test('&&, || and ! decide comptime conditions as C evaluates them (the stdlib type questions)', (t) => {
  t.deepEqual(printed('begin { $s = "a"; if comptime (is_integer($s) || is_str($s)) { print(1); } if comptime (!is_integer($s) && !is_ptr($s)) { print(2); } if comptime (is_integer($s)) { print(3); } }'), ['int8 = 1', 'int8 = 2']);
  // A known left side decides alone; the right side may then depend on run-time values.
  t.deepEqual(printed('begin { $x = 2; if comptime (0 && $x > 1) { print(1); } else { print(2); } if comptime (1 || $x > 1) { print(3); } }'), ['int8 = 2', 'int8 = 3']);
  t.is(errorOf('begin { $x = 2; if comptime (1 && $x > 1) { } }'), [
    'stdin:1:30-41: ERROR: Unable to evaluate comptime condition: it depends on run-time values',
    'begin { $x = 2; if comptime (1 && $x > 1) { } }',
    '                             ~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('fail() formats folded strings: a type\'s name from typeinfo', (t) => {
  t.is(errorOf('begin { $p = curtask; fail("no %s here (%s)", typeinfo($p).base_type, typeinfo($p).full_type); }'), [
    'stdin:1:23-94: ERROR: no pointer here (struct task_struct *)',
    'begin { $p = curtask; fail("no %s here (%s)", typeinfo($p).base_type, typeinfo($p).full_type); }',
    '                      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('kfunc_exist folds from the kernel types; kfunc_allowed asks the runtime, false without one', (t) => {
  t.deepEqual(printed('begin { if comptime (kfunc_exist("nope_not_a_kfunc")) { print(1); } if comptime (kfunc_allowed("bpf_task_from_pid")) { print(2); } else { print(3); } }'), ['int8 = 3']);
  t.regex(errorOf('begin { $n = "x"; print(kfunc_exist($n)); }'), /^stdlib\/kernel\.bt:\d+:\d+-\d+: ERROR: kfunc_exist\(\) accepts a string literal only\n/);
});
