import test from 'ava';
import type { Span } from '../../../core/diagnostics/index.ts';
import type * as A from '../../../core/syntax/index.ts';
import { parseOne } from './helpers.ts';

/** The source text a span covers (single or multi-line). */
function cut(src: string, s: Span): string {
  const lines = src.split('\n');
  if (s.line === s.endLine) return lines[s.line - 1]!.slice(s.col - 1, s.endCol - 1);
  const out = [lines[s.line - 1]!.slice(s.col - 1)];
  for (let l = s.line + 1; l < s.endLine; l++) out.push(lines[l - 1]!);
  out.push(lines[s.endLine - 1]!.slice(0, s.endCol - 1));
  return out.join('\n');
}

const src = [
  'config = { a = 1 }', // 1
  'kprobe:f,', // 2
  '  kprobe:g /pid == 1/', // 3
  '{', // 4
  '  $x = (a + b) * c;', // 5
  '  @m[1, "k"] += -$y->f;', // 6
  '  if ($x) { print((uint8)$x) } else { $t.0 }', // 7
  '}', // 8
].join('\n');

const prog = parseOne(src, 'f.bt');
const config = prog.items[0] as A.ConfigBlock;
const probe = prog.items[1] as A.Probe;
const [assign1, assign2, ifs] = probe.body.statements as [A.Assign, A.Assign, A.If];

test('program spans the whole file', (t) => {
  t.deepEqual(prog.span, { file: 'f.bt', line: 1, col: 1, endLine: 8, endCol: 2 });
});

test('spans of top-level items', (t) => {
  t.is(cut(src, config.span), 'config = { a = 1 }');
  t.is(cut(src, config.entries[0]!.span), 'a = 1');
  t.deepEqual(probe.span, { file: 'f.bt', line: 2, col: 1, endLine: 8, endCol: 2 });
  t.deepEqual(probe.attachPoints[0]!.span, { file: 'f.bt', line: 2, col: 1, endLine: 2, endCol: 9 });
  t.deepEqual(probe.attachPoints[1]!.span, { file: 'f.bt', line: 3, col: 3, endLine: 3, endCol: 11 });
  t.is(cut(src, probe.predicate!.span), 'pid == 1');
  t.deepEqual(probe.body.span, { file: 'f.bt', line: 4, col: 1, endLine: 8, endCol: 2 });
});

test('a binary node starts inside a parenthesised first operand, as bpftrace locates it', (t) => {
  t.is(cut(src, assign1.span), '$x = (a + b) * c');
  t.is(cut(src, assign1.value.span), 'a + b) * c');
  const mul = assign1.value as A.Binary;
  // the grouped node itself spans its content, without the parentheses
  t.is(cut(src, mul.left.span), 'a + b');
  t.deepEqual(mul.left.span, { file: 'f.bt', line: 5, col: 9, endLine: 5, endCol: 14 });
});

test('spans of map access, unary and field access', (t) => {
  t.is(cut(src, assign2.span), '@m[1, "k"] += -$y->f');
  t.is(cut(src, assign2.target.span), '@m[1, "k"]');
  const access = assign2.target as A.MapAccess;
  t.is(cut(src, access.map.span), '@m');
  t.is(cut(src, access.keys[1]!.span), '"k"');
  const neg = assign2.value as A.Unary;
  t.is(cut(src, neg.span), '-$y->f');
  t.is(cut(src, neg.operand.span), '$y->f');
});

test('spans of if, blocks, casts and tuple index', (t) => {
  t.is(cut(src, ifs.span), 'if ($x) { print((uint8)$x) } else { $t.0 }');
  t.is(cut(src, ifs.cond.span), '$x');
  t.is(cut(src, ifs.then.span), '{ print((uint8)$x) }');
  const call = (ifs.then.statements[0] as A.ExprStmt).expr as A.Call;
  t.is(cut(src, call.span), 'print((uint8)$x)');
  t.is(cut(src, call.calleeSpan), 'print');
  const cast = call.args[0] as A.Cast;
  t.is(cut(src, cast.span), '(uint8)$x');
  t.is(cut(src, cast.type.span), 'uint8');
  const els = ifs.else as A.Block;
  t.is(cut(src, els.span), '{ $t.0 }');
  t.is(cut(src, (els.statements[0] as A.ExprStmt).expr.span), '$t.0');
});

test('spans of types, let and C definitions', (t) => {
  const s = 'struct X {\n  int a;\n};\nbegin { let $p: struct task_struct *[4] = 0; }';
  const p = parseOne(s);
  const cdef = p.items[0] as A.CDefinition;
  t.deepEqual(cdef.span, { file: 'stdin', line: 1, col: 1, endLine: 3, endCol: 3 });
  const let_ = (p.items[1] as A.Probe).body.statements[0] as A.LetDecl;
  t.is(cut(s, let_.span), 'let $p: struct task_struct *[4] = 0');
  t.is(cut(s, let_.type!.span), 'struct task_struct *[4]');
  t.is(cut(s, (let_.type as A.ArrayType).element.span), 'struct task_struct *');
});

test('spans of macros and functions', (t) => {
  const s = 'macro f(x, $y) { x + $y }\nfn g($a: uint8): void { }';
  const p = parseOne(s);
  const m = p.items[0] as A.MacroDef;
  t.is(cut(s, m.span), 'macro f(x, $y) { x + $y }');
  t.is(cut(s, m.params[1]!.span), '$y');
  t.is(cut(s, m.body.span), '{ x + $y }');
  t.is(cut(s, m.body.value!.span), 'x + $y');
  const fn = p.items[1] as A.FnDef;
  t.is(cut(s, fn.span), 'fn g($a: uint8): void { }');
  t.is(cut(s, fn.params[0]!.span), '$a: uint8');
  t.is(cut(s, fn.returnType.span), 'void');
});
