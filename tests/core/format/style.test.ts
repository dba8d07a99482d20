// The formatter's style, construct by construct (golden outputs), and the
// parser rules it must respect so the output reads back the same.
import test from 'ava';
import { isDeepStrictEqual } from 'node:util';
import { parse } from '../../../core/syntax/index.ts';
import { formatExpr, formatProgram, quoteString } from '../../../core/format/index.ts';
import { strip } from '../syntax/helpers.ts';
import type * as A from '../../../core/syntax/index.ts';

function fmt(source: string): string {
  const ast = parse(source, 'stdin');
  const out = formatProgram(ast, source);
  // Every golden output must also read back to the same AST.
  const again = parse(out, 'stdin');
  if (!isDeepStrictEqual(strip(again), strip(ast))) throw new Error(`round trip changed the AST:\n${out}`);
  return out;
}

/** Formats `expr` as the value of `$x = expr;` and returns the text after `$x = `. */
function fmtExpr(expr: string): string {
  const line = fmt(`begin { $x = ${expr}; }`).split('\n')[1]!;
  return line.slice('  $x = '.length, -1);
}

test('probes: one attach point on the line, several one per line, predicate before {', (t) => {
  t.is(fmt('BEGIN{printf("hi\\n");exit()}'), 'BEGIN {\n  printf("hi\\n");\n  exit();\n}\n');
  t.is(fmt('i:s:1/pid==1/{exit()}'), 'i:s:1 /pid == 1/ {\n  exit();\n}\n');
  t.is(
    fmt('t:syscalls:sys_enter_open,t:syscalls:sys_enter_openat /pid/ { @[probe] = count() }'),
    't:syscalls:sys_enter_open,\nt:syscalls:sys_enter_openat\n/pid/ {\n  @[probe] = count();\n}\n',
  );
  t.is(fmt('begin {}'), 'begin {}\n');
});

test('top level: preamble kept, items separated, config, map declarations, imports', (t) => {
  const src = `#include <linux/sched.h>
#define X 1
struct S { int a; };
config = { max_strlen = 128; missing_probes = warn }
import "lib.bt";
let @m = lruhash(100);
begin { @m[1] = X; }
end { clear(@m); }`;
  t.is(
    fmt(src),
    `#include <linux/sched.h>
#define X 1
struct S { int a; };

config = {
  max_strlen = 128;
  missing_probes = warn;
}

import "lib.bt";
let @m = lruhash(100);

begin {
  @m[1] = X;
}

end {
  clear(@m);
}
`,
  );
});

test('macros and functions', (t) => {
  t.is(fmt('macro add(x){x+1}'), 'macro add(x) {\n  x + 1\n}\n');
  t.is(fmt('macro m($v, @m){ $v = 1; @m[1]++; }'), 'macro m($v, @m) {\n  $v = 1;\n  @m[1]++;\n}\n');
  t.is(fmt('fn f($a: uint8, $p: struct task_struct *): uint64 { return $a; }'), 'fn f($a: uint8, $p: struct task_struct *): uint64 {\n  return $a;\n}\n');
  // A trailing if-else in a valueless block keeps its `;` (without it, it would be the value).
  t.is(fmt('macro m(x) { if (x) { 1 } else { 2 }; }'), 'macro m(x) {\n  if (x) {\n    1;\n  } else {\n    2;\n  };\n}\n');
});

test('statements', (t) => {
  const out = fmt(`begin {
    let $a: uint16 = 1; let $b; $a += 2; _ = has_key(@m, 1);
    if $a > 1 { $b = 1 } else if ($a) { $b = 2 } else { $b = 3 }
    if comptime (arch == "x86_64") { } 
    while ($a < 10) { $a++; if ($a == 5) { break; } continue; }
    unroll(3) { $a--; }
    for $kv : @m { print($kv.0); }
    for ($i : 0..10) { print($i); }
    { $c = 1; }
    return;
  }`);
  t.is(
    out,
    `begin {
  let $a: uint16 = 1;
  let $b;
  $a += 2;
  _ = has_key(@m, 1);
  if ($a > 1) {
    $b = 1;
  } else if ($a) {
    $b = 2;
  } else {
    $b = 3;
  }
  if comptime (arch == "x86_64") {}
  while ($a < 10) {
    $a++;
    if ($a == 5) {
      break;
    }
    continue;
  }
  unroll (3) {
    $a--;
  }
  for ($kv : @m) {
    print($kv.0);
  }
  for ($i : 0..10) {
    print($i);
  }
  {
    $c = 1;
  }
  return;
}
`,
  );
});

test('binary operators: parentheses only where precedence needs them', (t) => {
  t.is(fmtExpr('(1+2)*3'), '(1 + 2) * 3');
  t.is(fmtExpr('1+(2*3)'), '1 + 2 * 3');
  t.is(fmtExpr('1-(2-3)'), '1 - (2 - 3)');
  t.is(fmtExpr('(1-2)-3'), '1 - 2 - 3');
  t.is(fmtExpr('a || b && c'), 'a || b && c');
  t.is(fmtExpr('(a || b) && c'), '(a || b) && c');
  t.is(fmtExpr('1 << 2 + 3'), '1 << 2 + 3');
  t.is(fmtExpr('(1 & 2) == 2'), '(1 & 2) == 2');
});

test('unary operators, casts and the cast rule', (t) => {
  t.is(fmtExpr('- -1'), '-(-1)');
  t.is(fmtExpr('!!$y'), '!(!$y)');
  t.is(fmtExpr('& &$y'), '&(&$y)');
  t.is(fmtExpr('-(1+2)'), '-(1 + 2)');
  t.is(fmtExpr('*($p + 1)'), '*($p + 1)');
  t.is(fmtExpr('(uint8)-1'), '(uint8)-1');
  t.is(fmtExpr('(pid_t)-1'), '(pid_t)-1');
  // `(foo)-1` would subtract: a plain name keeps its operand grouped.
  t.is(fmtExpr('(foo)(-1)'), '(foo)(-1)');
  t.is(fmtExpr('(struct task_struct *)curtask'), '(struct task_struct *)curtask');
  t.is(fmtExpr('(int32[4] *)$p'), '(int32[4] *)$p');
  t.is(fmtExpr('(uint32*[10])$p'), '(uint32 *[10])$p');
  t.is(fmtExpr('(string[64])$s'), '(string[64])$s');
  t.is(fmtExpr('(int8[])$s'), '(int8[])$s');
  t.is(fmtExpr('((uint64)$v).x'), '((uint64)$v).x');
  t.is(fmtExpr('-(uint64)$v'), '-(uint64)$v');
});

test('postfix, tuples, records, calls, maps', (t) => {
  t.is(fmtExpr('$t.0.1'), '$t.0.1');
  t.is(fmtExpr('$p->a.b[2]'), '$p->a.b[2]');
  t.is(fmtExpr('(*$p).x'), '(*$p).x');
  t.is(fmtExpr('(1,)'), '(1,)');
  t.is(fmtExpr('()'), '()');
  t.is(fmtExpr('(1,"a",(2,3))'), '(1, "a", (2, 3))');
  t.is(fmtExpr('(a=1,b="x")'), '(a = 1, b = "x")');
  t.is(fmtExpr('@m[1,"a"]'), '@m[1, "a"]');
  t.is(fmtExpr('p_cast(typeof(uint8),-1)'), 'p_cast(typeof(uint8), -1)');
  t.is(fmtExpr('f(uint8*, struct S)'), 'f(uint8 *, struct S)');
  t.is(fmtExpr('$x++'), '$x++');
  t.is(fmtExpr('--@m[1]'), '--@m[1]');
});

test('ternaries and comptime', (t) => {
  t.is(fmtExpr('a?b:c'), 'a ? b : c');
  t.is(fmtExpr('a?:b'), 'a ?: b');
  t.is(fmtExpr('(a?b:c)?d:e'), '(a ? b : c) ? d : e');
  t.is(fmtExpr('a?b:c?d:e'), 'a ? b : c ? d : e');
  t.is(fmtExpr('a?(b?c:d):e'), 'a ? (b ? c : d) : e');
  t.is(fmtExpr('comptime 1+2'), 'comptime 1 + 2');
  t.is(fmtExpr('(comptime 1)+2'), '(comptime 1) + 2');
});

test('sizeof, offsetof, typeinfo, literals as written', (t) => {
  t.is(fmtExpr('sizeof(struct S)'), 'sizeof(struct S)');
  t.is(fmtExpr('sizeof($y)'), 'sizeof($y)');
  t.is(fmtExpr('offsetof(struct S, a.b)'), 'offsetof(struct S, a.b)');
  t.is(fmtExpr('typeinfo(uint8)'), 'typeinfo(uint8)');
  t.is(fmtExpr('10ms + 0x10 + 1_000 + 0777 + 2e3 + 1ULL'), '10ms + 0x10 + 1_000 + 0777 + 2e3 + 1ULL');
  t.is(fmtExpr('$1 + $#'), '$1 + $#');
  t.is(fmtExpr('true'), 'true');
});

test('block and if expressions', (t) => {
  t.is(fmtExpr('{ 1 }'), '{ 1 }');
  t.is(fmtExpr('if ($y) { 1 } else { 2 }'), 'if ($y) { 1 } else { 2 }');
  t.is(fmtExpr('if $y { 1 } else if $z { 2 } else { 3 }'), 'if ($y) { 1 } else if ($z) { 2 } else { 3 }');
  t.is(fmt('begin { $x = { let $a = 1; $a + 1 }; }'), 'begin {\n  $x = {\n    let $a = 1;\n    $a + 1\n  };\n}\n');
  // A statement cannot start with `if` or `{`: an if-expression there is grouped.
  t.is(fmt('begin { (if $y { 1 } else { 2 }) + 1; }'), 'begin {\n  (if ($y) { 1 } else { 2 }) + 1;\n}\n');
});

test('strings: escapes for quotes, backslashes and control bytes; UTF-8 kept', (t) => {
  t.is(quoteString('a"b\\c\n\t\r'), '"a\\"b\\\\c\\n\\t\\r"');
  t.is(quoteString('\x01\x7f'), '"\\x01\\x7f"');
  t.is(quoteString(Buffer.from('é', 'utf8').toString('latin1')), '"é"');
  t.is(quoteString('\xff'), '"\\xff"');
  t.is(fmtExpr('"tab\\there \\x41\\101"'), '"tab\\there AA"');
});

test('comments and blank lines are kept', (t) => {
  const src = `#!/usr/bin/env bpftrace
// header

/* block
 * comment */
begin { // after the brace
  $a = 1; // trailing

  // before b
  $b = 2;
  /* before the end */
}
// at the end
`;
  t.is(
    fmt(src),
    `#!/usr/bin/env bpftrace
// header

/* block
 * comment */
begin { // after the brace
  $a = 1; // trailing

  // before b
  $b = 2;
  /* before the end */
}
// at the end
`,
  );
});

test('block comments move with their statement, re-indented', (t) => {
  t.is(fmt('begin {\n\t/*\n\t * x\n\t */\n\t$a = 1;\n}\n'), 'begin {\n  /*\n   * x\n   */\n  $a = 1;\n}\n');
});

test('formatExpr prints one expression', (t) => {
  const p = parse('begin { $x = (1 + 2) * f($y, "s"); }', 'stdin');
  const assign = (p.items[0] as A.Probe).body.statements[0] as A.Assign;
  t.is(formatExpr(assign.value), '(1 + 2) * f($y, "s")');
});
