import test from 'ava';
import type * as A from '../../../core/syntax/index.ts';
import { message, parseOne, show, strip } from './helpers.ts';

function aps(src: string): string[][] {
  return parseOne(src).items.map((i) => (i.kind === 'Probe' ? i.attachPoints.map((a) => a.raw) : []));
}

function probe(src: string): A.Probe {
  const p = parseOne(src).items[0]!;
  if (p.kind !== 'Probe') throw new Error('not a probe');
  return p;
}

// Attach points are raw text, exactly as written.
const attachPoints: [string, string[]][] = [
  ['BEGIN {}', ['BEGIN']],
  ['begin {}', ['begin']],
  ['end{}', ['end']],
  ['BEGIN{}', ['BEGIN']],
  ['i:ms:100 {}', ['i:ms:100']],
  ['interval:s:1 {}', ['interval:s:1']],
  ['interval:1s {}', ['interval:1s']],
  ['profile:hz:99 {}', ['profile:hz:99']],
  ['tracepoint:syscalls:sys_enter_openat {}', ['tracepoint:syscalls:sys_enter_openat']],
  ['t:syscalls:sys_enter_exec* {}', ['t:syscalls:sys_enter_exec*']],
  ['kprobe:vfs_read+0x10 {}', ['kprobe:vfs_read+0x10']],
  ['kprobe:0xffffffff81000000 {}', ['kprobe:0xffffffff81000000']],
  ['uprobe:/bin/bash:readline {}', ['uprobe:/bin/bash:readline']],
  ['uprobe:"/path with space":f {}', ['uprobe:"/path with space":f']],
  ['usdt:./a.out:ns:probe {}', ['usdt:./a.out:ns:probe']],
  ['usdt::ns:probe {}', ['usdt::ns:probe']],
  ['watchpoint:0x1234:8:rw {}', ['watchpoint:0x1234:8:rw']],
  ['software:page-faults:100 {}', ['software:page-faults:100']],
  ['hardware:cache-misses:1000000 {}', ['hardware:cache-misses:1000000']],
  ['rawtracepoint:module:event {}', ['rawtracepoint:module:event']],
  ['kprobe:[Ss]ys_* {}', ['kprobe:[Ss]ys_*']],
  ['kprobe:sys_?ead {}', ['kprobe:sys_?ead']],
  ['uprobe:/bin/x:cpp:"ns::f(int)" {}', ['uprobe:/bin/x:cpp:"ns::f(int)"']],
  ['uprobe:/bin/x@file.c:10 {}', ['uprobe:/bin/x@file.c:10']],
  ['uprobe:"a.apk!/lib/x.so":f {}', ['uprobe:"a.apk!/lib/x.so":f']],
  ['uprobe:libc:malloc {}', ['uprobe:libc:malloc']],
  ['tracepoint:$1:x {}', ['tracepoint:$1:x']],
  ['uprobe:$1:$2 {}', ['uprobe:$1:$2']],
  ['iter:task_file:/sys/fs/bpf/x {}', ['iter:task_file:/sys/fs/bpf/x']],
  ['fentry:bpf:123:prog_name {}', ['fentry:bpf:123:prog_name']],
  ['self:signal:SIGUSR1 {}', ['self:signal:SIGUSR1']],
  ['kprobe:f,kprobe:g {}', ['kprobe:f', 'kprobe:g']],
  ['kprobe:f, kprobe:g {}', ['kprobe:f', 'kprobe:g']],
  ['kprobe:f ,\n  kprobe:g\n{}', ['kprobe:f', 'kprobe:g']],
  ['kprobe:f, {}', ['kprobe:f']],
  ['kprobe:f // comment\n{}', ['kprobe:f']],
  ['kprobe:f /* c */ {}', ['kprobe:f']],
];

for (const [src, want] of attachPoints) {
  test(`attach point ${JSON.stringify(src)}`, (t) => {
    t.deepEqual(aps(src), [want]);
  });
}

// Predicates: `/` after whitespace, or where an attach point cannot go on.
const predicates: [string, string, string][] = [
  ['kprobe:f /pid == 1/ {}', 'kprobe:f', '(== pid 1)'],
  ['kprobe:f / pid == 1 / {}', 'kprobe:f', '(== pid 1)'],
  ['kprobe:f /pid/{}', 'kprobe:f', 'pid'],
  ['BEGIN/1/{}', 'BEGIN', '1'],
  ['BEGIN /1/ {}', 'BEGIN', '1'],
  ['i:s:1/1 < 2/ {}', 'i:s:1', '(< 1 2)'],
  ['software:page-faults:100/comm == "x"/ {}', 'software:page-faults:100', '(== comm "x")'],
  ['uprobe:/bin/bash:readline /arg0 / 2 == 1/ {}', 'uprobe:/bin/bash:readline', '(== (/ arg0 2) 1)'],
  ['kprobe:f /comm == "a/ {"/ {}', 'kprobe:f', '(== comm "a/ {")'],
  ['kprobe:f /pid == 1/ // comment\n{}', 'kprobe:f', '(== pid 1)'],
  ['kprobe:f\n/pid == 1 &&\n tid > 2/\n{}', 'kprobe:f', '(&& (== pid 1) (> tid 2))'],
  ['kprobe:f /@m[pid]/ {}', 'kprobe:f', '([] @m pid)'],
  ['kprobe:f /(uint8)arg0 == 1/ {}', 'kprobe:f', '(== (cast uint8 arg0) 1)'],
];

for (const [src, ap, pred] of predicates) {
  test(`predicate ${JSON.stringify(src)}`, (t) => {
    const p = probe(src);
    t.deepEqual(
      p.attachPoints.map((a) => a.raw),
      [ap],
    );
    t.is(show(p.predicate), pred);
  });
}

test('two attach points with a predicate', (t) => {
  const p = probe('kprobe:f,kprobe:g /pid == 1/ { @[probe]++ }');
  t.deepEqual(
    p.attachPoints.map((a) => a.raw),
    ['kprobe:f', 'kprobe:g'],
  );
  t.is(show(p), '(probe [kprobe:f kprobe:g] (pred (== pid 1)) {(post++ ([] @ probe))})');
});

test('preprocessor lines, C definitions, config and imports', (t) => {
  const src = [
    '#!/usr/bin/env bpftrace',
    '#include <linux/sched.h>',
    '#define RED "\\033[31m"',
    '#define SUM(a, b) \\',
    '  ((a) + (b))',
    '#ifndef BPFTRACE_HAVE_BTF',
    '#endif',
    'struct Foo { int a; struct { int b; } c; char s[8]; };',
    'union U { int a; long b; };',
    'enum E { A = 1, B };',
    'enum { ANON = 3 };',
    'struct Packed { int x; } __attribute__((packed));',
    'struct Fwd;',
    'typedef unsigned int u32;',
    'typedef struct { int x; } foo_t;',
    'typedef int (*handler_t)(int);',
    'struct S { char c; /* } */ const char *s; };',
    'config = { max_strlen = 128; missing_probes = warn; stack_mode = perf; unstable_macro = true; str = "x" }',
    'import "helpers.bt";',
    'BEGIN { }',
  ].join('\n');
  const items = parseOne(src).items;
  t.deepEqual(
    items.map((i) => show(i)),
    [
      '(# "#include <linux/sched.h>")',
      '(# "#define RED \\"\\\\033[31m\\"")',
      '(# "#define SUM(a, b) \\\\\\n  ((a) + (b))")',
      '(# "#ifndef BPFTRACE_HAVE_BTF")',
      '(# "#endif")',
      '(cdef struct Foo "struct Foo { int a; struct { int b; } c; char s[8]; };")',
      '(cdef union U "union U { int a; long b; };")',
      '(cdef enum E "enum E { A = 1, B };")',
      '(cdef enum _ "enum { ANON = 3 };")',
      '(cdef struct Packed "struct Packed { int x; } __attribute__((packed));")',
      '(cdef struct Fwd "struct Fwd;")',
      '(cdef typedef u32 "typedef unsigned int u32;")',
      '(cdef typedef foo_t "typedef struct { int x; } foo_t;")',
      '(cdef typedef handler_t "typedef int (*handler_t)(int);")',
      '(cdef struct S "struct S { char c; /* } */ const char *s; };")',
      '(config (max_strlen 128) (missing_probes warn) (stack_mode perf) (unstable_macro true) (str "x"))',
      '(import "helpers.bt")',
      '(probe [BEGIN] {})',
    ],
  );
});

test('comments between a struct definition\'s brace, its __attribute__s and its ;', (t) => {
  const items = parseOne('struct P { int x; char y; } /* a */ __attribute__ /**/ ((packed)) // b\n __attribute__((aligned(1))) /**/ ; BEGIN { }').items;
  t.deepEqual(items.map((i) => show(i)), [
    '(cdef struct P "struct P { int x; char y; } /* a */ __attribute__ /**/ ((packed)) // b\\n __attribute__((aligned(1))) /**/ ;")',
    '(probe [BEGIN] {})',
  ]);
  // A comment after the brace with no attribute after it is the script's.
  t.deepEqual(parseOne('struct Q { int x; } /* c */ BEGIN { }').items.map((i) => show(i)), ['(cdef struct Q "struct Q { int x; }")', '(probe [BEGIN] {})']);
});

test('config block node shape', (t) => {
  t.deepEqual(strip(parseOne('config = { a = 1; b = x; }').items), [
    {
      kind: 'ConfigBlock',
      entries: [
        { kind: 'ConfigEntry', key: 'a', value: { kind: 'Integer', value: 1n, text: '1' } },
        { kind: 'ConfigEntry', key: 'b', value: { kind: 'Identifier', name: 'x' } },
      ],
    },
  ]);
  t.deepEqual(strip(parseOne('config = {}').items), [{ kind: 'ConfigBlock', entries: [] }]);
});

test('macros, map declarations and functions', (t) => {
  const items = parseOne(
    [
      'macro add(x) { x + 1 }',
      'macro inc($v, @m) { $v += 1; @m[1] = $v; }',
      'macro zero() { 0 }',
      'macro noop() { }',
      'let @a = lruhash(100);',
      'let @b = hash(2);',
      'let @ = percpuhash(10);',
      'fn f($a: uint8, $b: string): void { return; }',
      'fn g(): struct task_struct * { return curtask; }',
    ].join('\n'),
  ).items;
  t.deepEqual(
    items.map((i) => show(i)),
    [
      '(macro add [x] {=> (+ x 1)})',
      '(macro inc [$v @m] {(+= $v 1); (= ([] @m 1) $v)})',
      '(macro zero [] {=> 0})',
      '(macro noop [] {})',
      '(let @a lruhash 100)',
      '(let @b hash 2)',
      '(let @ percpuhash 10)',
      '(fn f [$a:uint8 $b:string] void {(return)})',
      '(fn g [] (ptr struct:task_struct) {(return curtask)})',
    ],
  );
  t.deepEqual(strip((items[1] as A.MacroDef).params), [
    { kind: 'VarParam', name: '$v' },
    { kind: 'MapParam', name: '@m' },
  ]);
  t.deepEqual(strip((items[0] as A.MacroDef).params), [{ kind: 'ExprParam', name: 'x' }]);
});

test('an empty program and a comment-only program parse', (t) => {
  t.deepEqual(parseOne('').items, []);
  t.deepEqual(parseOne('// nothing\n/* at all */\n').items, []);
});

test('the shebang is dropped; a later #! line is a preprocessor line', (t) => {
  t.deepEqual(parseOne('#!/usr/bin/bpftrace\nBEGIN {}').items.map((i) => i.kind), ['Probe']);
  t.deepEqual(parseOne('\n#!x\nBEGIN {}').items.map((i) => i.kind), ['PreprocessorLine', 'Probe']);
});

test('top-level keywords need their shape, else the word is an attach point', (t) => {
  // `config` not followed by `=` is an attach point (and then a probe).
  t.deepEqual(aps('config {}'), [['config']]);
  t.deepEqual(aps('letter:x {}'), [['letter:x']]);
  t.deepEqual(aps('fnord:x {}'), [['fnord:x']]);
});

test('order of top-level items is checked like upstream', (t) => {
  t.is(message('BEGIN {}\n#include <x.h>'), 'C definitions must appear before probes and functions');
  t.is(message('BEGIN {}\nstruct X { int a; };'), 'C definitions must appear before probes and functions');
  t.is(message('BEGIN {}\nconfig = { a = 1 }'), 'config must appear before probes and functions');
  t.is(message('BEGIN {}\nimport "x";'), 'root imports must appear before probes and functions');
  t.is(message('config = { a = 1 }\nconfig = { b = 1 }'), 'duplicate config block');
  t.is(message('config = { a = 1 }\n#include <x.h>\nimport "y";\nstruct X {};\nBEGIN {}'), null);
});
