// The type pass on member access and indexing: kernel structs through the
// fixed kernel types (`struct task_struct { int pid; int tgid; char comm[16];
// struct task_struct *parent; struct sched_entity se; }`), tracepoint `args`
// from fixed format files,
// tuples, records, arrays, strings and pointers.
import test from 'ava';
import { checkScript, errorOf, printed } from './helpers.ts';
import type * as A from '../../../../core/syntax/ast.ts';

test('kernel struct members through pointers, with . or ->, as deep as they go', (t) => {
  t.deepEqual(printed('begin { print(curtask->pid); print(curtask->comm); print(curtask->parent->parent->pid); print(curtask.pid); print(curtask->parent); }'), [
    'int32',
    'string[16]',
    'int32',
    'int32',
    'struct task_struct *',
  ]);
});

test('each member read is recorded with its offset for codegen', (t) => {
  const { typed } = checkScript('begin { print(curtask->parent->comm); }');
  const members = [...typed.instances[0].members].map(([e, m]: [A.FieldAccess, { name: string; offset: number }]) => `${e.field}@${m.offset}`);
  t.deepEqual(members, ['parent@24', 'comm@8']);
});

test('a whole struct value has its members as fields', (t) => {
  const { typed } = checkScript('begin { $t = *curtask; }');
  const task = typed.instances[0].varTypes.get('$t')!;
  t.is(task.kind, 'struct');
  t.deepEqual(task.kind === 'struct' ? task.fields.map((f) => `${f.name}@${f.offset}`) : [], ['pid@0', 'tgid@4', 'comm@8', 'parent@24', 'se@32']);
});

test('a cast to a kernel struct pointer reads through it', (t) => {
  t.deepEqual(printed('begin { print(((struct task_struct *)0)->pid); }'), ['int32']);
});

test('a member the struct does not have', (t) => {
  t.is(errorOf('begin { print(curtask->nope) }'), [
    "stdin:1:15-28: ERROR: Struct/union of type 'struct task_struct' does not contain a field named 'nope'",
    'begin { print(curtask->nope) }',
    '              ~~~~~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { print(curtask->pid.x) }'), [
    "stdin:1:15-29: ERROR: Can not access field 'x' on expression of type 'int32'",
    'begin { print(curtask->pid.x) }',
    '              ~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('tracepoint args are typed from the format file', (t) => {
  t.deepEqual(printed('tracepoint:syscalls:sys_enter_openat { print(args.filename); print(args.flags); print(args); } tracepoint:sched:sched_switch { print(args.prev_comm); print(args.prev_pid); }'), [
    'const char *',
    'uint64',
    'struct _tracepoint_syscalls_sys_enter_openat',
    'string[16]',
    'int32',
  ]);
});

test('a wildcard tracepoint is one instance per event, each with its own args', (t) => {
  const checked = checkScript('tracepoint:*:sys_enter_openat,tracepoint:sched:* { print(args); }');
  t.deepEqual(checked.instances.map((i) => i.expanded.name), ['tracepoint:syscalls:sys_enter_openat', 'tracepoint:sched:sched_switch']);
  t.deepEqual(printed('tracepoint:*:sys_enter_openat,tracepoint:sched:* { print(args); }'), ['struct _tracepoint_syscalls_sys_enter_openat', 'struct _tracepoint_sched_sched_switch']);
});

test('args that the format file does not have, or a probe that has no args', (t) => {
  t.is(errorOf('tracepoint:sched:sched_switch { print(args.nope) }'), [
    "stdin:1:39-48: ERROR: Struct/union of type 'struct _tracepoint_sched_sched_switch' does not contain a field named 'nope'",
    'tracepoint:sched:sched_switch { print(args.nope) }',
    '                                      ~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { print(args) }'), [
    "stdin:1:15-19: ERROR: The args builtin can not be used with 'begin' probes",
    'begin { print(args) }',
    '              ~~~~',
    '',
  ].join('\n'));
});

test('tuples by constant index, records by field name', (t) => {
  t.deepEqual(printed('begin { $t = (1, "a"); print($t.1); print($t[0]); $r = (a = 1, b = "x"); print($r.b); }'), ['string[2]', 'int8', 'string[2]']);
  t.is(errorOf('begin { $t = (1, "a"); print($t.2) }'), [
    'stdin:1:30-34: ERROR: Invalid tuple index: 2. Found 2 elements in tuple.',
    'begin { $t = (1, "a"); print($t.2) }',
    '                             ~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { $t = (1, "a"); $i = 0; print($t[$i]) }'), [
    'stdin:1:41-43: ERROR: Tuple index must be a constant',
    'begin { $t = (1, "a"); $i = 0; print($t[$i]) }',
    '                                        ~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { $r = (a = 1, b = "x"); print($r.c) }'), [
    "stdin:1:38-42: ERROR: Struct/union of type '(a=int8,b=string[2])' does not contain a field named 'c'",
    'begin { $r = (a = 1, b = "x"); print($r.c) }',
    '                                     ~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { $r = (a = 1, a = 2) }'), [
    'stdin:1:22-27: ERROR: Duplicate field name: a',
    'begin { $r = (a = 1, a = 2) }',
    '                     ~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { $x = 1; print($x.foo) }'), [
    "stdin:1:23-29: ERROR: Can not access field 'foo' on expression of type 'int64'",
    'begin { $x = 1; print($x.foo) }',
    '                      ~~~~~~',
    '',
  ].join('\n'));
});

test('indexing strings, arrays and pointers', (t) => {
  t.deepEqual(printed('begin { $s = "abc"; print($s[0]); print(curtask->comm[1]); print(((uint16[])"abc")[1]); print(((int32 *)0)[2]); }'), ['int8', 'int8', 'uint16', 'int32']);
  t.is(errorOf('begin { print((1)[0]) }'), [
    'stdin:1:16-21: ERROR: The array index operator [] can not be used on expressions of type int8',
    'begin { print((1)[0]) }',
    '               ~~~~~',
    '',
  ].join('\n'));
});

test('pointer arithmetic moves by whole elements', (t) => {
  const { typed } = checkScript('begin { print(curtask + 1); print((int32 *)0 + 2); print((void *)0 + 3); }');
  t.deepEqual([...typed.instances[0].pointerSteps.values()], [48, 4, 1]);
  t.deepEqual(printed('begin { print(curtask + 1); print((int32 *)0 + 2); }'), ['struct task_struct *', 'int32 *']);
});

test('dereferencing needs a pointer to something', (t) => {
  t.is(errorOf('begin { print(*1) }'), [
    "stdin:1:15-17: ERROR: The * operator can not be used on expressions of type 'int8'",
    'begin { print(*1) }',
    '              ~~',
    '',
  ].join('\n'));
});
