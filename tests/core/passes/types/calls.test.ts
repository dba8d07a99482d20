// The type pass on identifiers and calls: builtins typed by their plugin's
// check (the real builtins), provider context identifiers, and what nothing
// defines; every error with the exact diagnostic the CLI prints.
import test from 'ava';
import { checkScript, errorOf, printed } from './helpers.ts';

test('builtins are typed by their check and recorded for codegen', (t) => {
  const src = 'begin { $t = nsecs; print(comm); print(str(curtask->comm)); print(tid); }';
  t.deepEqual(printed(src), ['string[16]', 'string[16]', 'uint32']);
  const names = [...checkScript(src).typed.instances[0].builtins.values()].map((b) => b.name);
  // comm and curtask are stdlib macros: their intrinsics are what codegen sees.
  t.deepEqual(names, ['nsecs', 'print', '__builtin_comm', 'print', 'str', '__builtin_curtask', 'print', 'tid']);
});

test('an identifier or function nothing defines', (t) => {
  t.is(errorOf('begin { print(nope) }'), [
    "stdin:1:15-19: ERROR: Unknown identifier: 'nope'",
    'begin { print(nope) }',
    '              ~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { foo(1) }'), [
    "stdin:1:9-12: ERROR: Unknown function: 'foo'",
    'begin { foo(1) }',
    '        ~~~',
    '',
  ].join('\n'));
});

test('wrong argument counts', (t) => {
  t.is(errorOf('begin { print(rand(1)) }'), [
    'stdin:1:15-22: ERROR: rand() requires 0 arguments (1 provided)',
    'begin { print(rand(1)) }',
    '              ~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { exit(1, 2) }'), [
    'stdin:1:9-19: ERROR: exit() requires 0 to 1 arguments (2 provided)',
    'begin { exit(1, 2) }',
    '        ~~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { print(str(1, 2, 3)) }'), [
    'stdin:1:15-27: ERROR: str() requires 1 to 2 arguments (3 provided)',
    'begin { print(str(1, 2, 3)) }',
    '              ~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('context identifiers a probe type does not have', (t) => {
  t.is(errorOf('begin { print(arg0) }'), [
    "stdin:1:15-19: ERROR: The arg0 builtin can not be used with 'begin' probes",
    'begin { print(arg0) }',
    '              ~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('tracepoint:sched:sched_switch { print(retval) }'), [
    "stdin:1:39-45: ERROR: The retval builtin can not be used with 'tracepoint' probes",
    'tracepoint:sched:sched_switch { print(retval) }',
    '                                      ~~~~~~',
    '',
  ].join('\n'));
});

test('builtins see the session through the check context: cpid needs a child process', (t) => {
  t.deepEqual(printed('begin { print(cpid) }', { hasChildProcess: true }), ['uint64']);
  t.is(errorOf('begin { print(cpid) }'), [
    'stdin:1:15-19: ERROR: cpid cannot be used without child command',
    'begin { print(cpid) }',
    '              ~~~~',
    '',
  ].join('\n'));
});

test('import statements belong at the top level', (t) => {
  t.is(errorOf('begin { import "x"; }'), [
    'stdin:1:9-19: ERROR: import statements are only allowed at the top level or inside macros',
    'begin { import "x"; }',
    '        ~~~~~~~~~~',
    '',
  ].join('\n'));
});
