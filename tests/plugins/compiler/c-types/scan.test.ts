// The scan of clang's preprocessed output: which types, enumerators and
// macros a script's C defines (hand-written `-E -dD` output, so every case is
// explicit), and typedef declarator names.
import test from 'ava';
import { scanPreprocessed, typedefNames } from '../../../../plugins/compiler/c-types/index.ts';

const preprocessed = [
  '# 1 "<stdin>"',
  '# 1 "<built-in>" 1',
  '# 1 "<built-in>" 3',
  '#define __clang__ 1',
  '# 1 "<command line>" 1',
  '#define BPFTRACE_HAVE_BTF 1',
  '# 1 "<built-in>" 2',
  '# 1 "<stdin>" 2',
  '# 1 "script.bt"',
  '#define FOO 10',
  '#define MAX(a, b) ((a) > (b) ? (a) : (b))',
  '#define GONE 1',
  '#undef GONE',
  '# 1 "/usr/include/h.h" 1 3',
  'struct in_header { int x; union { int y; char z; } u; };',
  'enum { H_A = 1, H_B = (2 + 3), H_C };',
  '#define H_FLAG 0x4',
  '# 7 "script.bt" 2',
  'struct Foo { int a; struct Inner { short s; } in; enum Kind { K1, K2 } kind; };',
  'struct __attribute__((packed)) Packed { char c; int i; };',
  'union U { int i; char c[4]; };',
  'typedef unsigned int myint, *myint_p;',
  'typedef struct { int q; } anon_t;',
  'typedef enum { TA, TB } tenum_t;',
  'typedef void (*handler_t)(int sig);',
  'typedef int arr_t[4];',
  'typedef int func_t(int a, char b);',
  'struct Opaque;',
  'struct Foo *global_ptr;',
  'static inline int helper(int x) { struct Local { int l; } v; typedef int hidden_t; return x; }',
  'int table[] = { 1, 2, 3 };',
  'enum',
  '{',
  '  SPLIT_A,',
  '  SPLIT_B = 7',
  '};',
].join('\n');

test('types, enumerators and macros of preprocessed C', (t) => {
  const s = scanPreprocessed(preprocessed);
  t.deepEqual([...s.tags].sort(), ['enum Kind', 'struct Foo', 'struct Inner', 'struct Packed', 'struct in_header', 'union U']);
  t.deepEqual([...s.declared], ['struct Opaque']);
  t.deepEqual([...s.typedefs].sort(), ['anon_t', 'arr_t', 'func_t', 'handler_t', 'myint', 'myint_p', 'tenum_t']);
  t.deepEqual([...s.enumerators].sort(), ['H_A', 'H_B', 'H_C', 'K1', 'K2', 'SPLIT_A', 'SPLIT_B', 'TA', 'TB']);
  // Anonymous enums with no typedef are listed, named where they are; a typedef'd one is named by its typedef.
  t.deepEqual(s.anonymousEnums, [
    { name: '(anonymous at /usr/include/h.h:2)', enumerators: ['H_A', 'H_B', 'H_C'] },
    { name: '(anonymous at script.bt:20)', enumerators: ['SPLIT_A', 'SPLIT_B'] },
  ]);
  t.deepEqual([...s.macros.values()], [
    { name: 'FOO', body: '10', file: 'script.bt', line: 1 },
    { name: 'MAX', params: ['a', 'b'], body: '((a) > (b) ? (a) : (b))', file: 'script.bt', line: 2 },
    { name: 'H_FLAG', body: '0x4', file: '/usr/include/h.h', line: 3 },
  ]);
  t.deepEqual([...s.files].sort(), ['/usr/include/h.h', 'script.bt']);
});

test('a tag defined later is not only declared', (t) => {
  const s = scanPreprocessed('# 1 "x"\nstruct A;\nstruct A { int a; };\n');
  t.deepEqual([...s.tags], ['struct A']);
  t.deepEqual([...s.declared], []);
});

test('typedef declarator names', (t) => {
  t.deepEqual(typedefNames(['unsigned', 'int', 'u32']), ['u32']);
  t.deepEqual(typedefNames(['struct', 'foo', 'foo_t', ',', '*', 'foo_p']), ['foo_t', 'foo_p']);
  t.deepEqual(typedefNames(['void', '(', '*', 'fn', ')', '(', 'int', ')']), ['fn']);
  t.deepEqual(typedefNames(['int', 'x', '__attribute__', '(', '(', 'aligned', '(', '8', ')', ')', ')']), ['x']);
  t.deepEqual(typedefNames(['char', 'buf', '[', 'N', ']']), ['buf']);
});
