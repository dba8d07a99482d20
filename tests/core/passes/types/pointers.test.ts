// The type pass on pointers (issue 10): arithmetic moves by whole elements
// (`+`, `-`, `++`, `--`, `+=`, `-=`, on variables and maps), pointers to
// pointers read down to their target, `&` takes addresses, and what makes no
// sense on a pointer is refused with bpftrace's words.
import test from 'ava';
import type * as A from '../../../../core/syntax/ast.ts';
import { checkScript, errorOf, mapsOf, printed, varsOf, warningsOf } from './helpers.ts';

/** The element size each pointer step of the script scales by, in source order. */
function steps(src: string): number[] {
  const types = checkScript(src).typed.instances[0]!;
  const at = (n: A.Node) => n.span.line * 1e6 + n.span.col;
  return [...types.pointerSteps].sort((a, b) => at(a[0]) - at(b[0])).map(([, step]) => step);
}

test('pointer arithmetic keeps the pointer type and steps by the size of what it points to', (t) => {
  t.deepEqual(printed('begin { $p = (int32 *)0x100; print($p + 1); print(2 + $p); print($p - 1); $p++; --$p; $p += 3; $p -= 1; print($p); }'), [
    'int32 *', 'int32 *', 'int32 *', 'int32 *',
  ]);
  t.deepEqual(steps('begin { $p = (int32 *)0x100; $q = $p + 1; $p++; $p += 3; $w = (int16 *)0; $w--; $v = (void *)0; $v += 1; }'), [4, 4, 4, 2, 1]);
});

test('maps holding pointers move with ++, -- and +=', (t) => {
  t.deepEqual(mapsOf('begin { @p = (int64 *)0x32; @p++; @p += 2; @p -= @n; @n = 1; }'), ['@p: int64 *', '@n: int64']);
  t.deepEqual(steps('begin { @p = (int64 *)0x32; @p++; @p += 2; }'), [8, 8]);
});

test('pointers compare with pointers and integers; distinct pointee types warn', (t) => {
  t.deepEqual(printed('begin { $a = (int64 *)0x32; print(0x32 < $a); print($a == (int64 *)0); }'), ['bool', 'bool']);
  t.is(warningsOf('begin { $a = (int32 *)0; $b = (int64 *)8; print($a == $b); }'), [
    'stdin:1:49-57: WARNING: comparison of distinct pointer types: int32, int64',
    'begin { $a = (int32 *)0; $b = (int64 *)8; print($a == $b); }',
    '                                                ~~~~~~~~',
    '',
  ].join('\n'));
});

test('arithmetic that does not move a pointer is refused', (t) => {
  t.is(errorOf('begin { $a = (int32 *)0; $b = (int32 *)8; print($a - $b) }'), [
    'stdin:1:49-56: ERROR: The - operator can not be used on expressions of types int32 *, int32 *',
    'begin { $a = (int32 *)0; $b = (int32 *)8; print($a - $b) }',
    '                                                ~~~~~~~',
    '',
  ].join('\n'));
  t.regex(errorOf('begin { $a = (int32 *)0; print($a * 2) }'), /ERROR: The \* operator can not be used on expressions of types int32 \*, int8\n/);
  t.regex(errorOf('begin { $a = (int32 *)0; print(1 - $a) }'), /ERROR: The - operator can not be used on expressions of types int8, int32 \*\n/);
});

test('pointers to pointers read down to their target', (t) => {
  t.deepEqual(printed('begin { $pp = (int32 **)0; print($pp); print(*$pp); print(**$pp); print($pp[1]); $t = (struct task_struct **)0; print((*$t)->pid); }'), [
    'int32 **', 'int32 *', 'int32', 'int32 *', 'int32',
  ]);
  t.deepEqual(steps('begin { $pp = (int8 **)0; $pp++; }'), [8]);
});

test('& of a variable, a map and a member of a struct in memory; * reads back what it points to', (t) => {
  t.deepEqual(printed('begin { $a = 1; print(&$a); print(*&$a); $t = (1, "ab"); print(*&$t); @m = (uint16)2; print(&@m); print(&curtask->pid); print(&curtask->se); }'), [
    'int64 *', 'int64', '(int8,string[3])', 'uint64 *', 'int32 *', 'struct sched_entity *',
  ]);
  t.is(errorOf('begin { print(&1) }'), [
    'stdin:1:15-17: ERROR: The & operator needs a variable, a map or a member of a struct in memory',
    'begin { print(&1) }',
    '              ~~',
    '',
  ].join('\n'));
});

test('a variable holding a void pointer takes any other pointer, and keeps its first type', (t) => {
  t.deepEqual(varsOf('begin { $v = (void *)0; $v = curtask; $s = curtask; $s = (void *)0; }'), [
    { $v: 'void *', $s: 'struct task_struct *' },
  ]);
  // Two pointers neither of which is void stay distinct.
  t.regex(errorOf('begin { $p = (int32 *)0; $p = curtask; }'), /Type mismatch for \$p: trying to assign value of type 'struct task_struct \*' when variable already contains a value of type 'int32 \*'/);
});
