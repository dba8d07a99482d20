// Macro expansion: AST in (source) -> AST out (rendered back as source), and
// every error with the exact diagnostic the CLI prints.
import test from 'ava';
import { parse } from '../../../core/syntax/index.ts';
import { expandMacros, type MacroExpansionOptions } from '../../../core/passes/macros/index.ts';
import type * as A from '../../../core/syntax/ast.ts';
import { diagnostics, show } from './helpers.ts';

function expand(src: string, opts?: MacroExpansionOptions): string {
  return show(expandMacros(parse(src, 'stdin'), opts).program);
}

function errorOf(src: string, opts?: MacroExpansionOptions): string {
  return diagnostics(() => expandMacros(parse(src, 'stdin'), opts), { stdin: src });
}

function libraryFrom(src: string): A.MacroDef[] {
  return parse(src, 'stdlib/test.bt').items.filter((i): i is A.MacroDef => i.kind === 'MacroDef');
}

const expansions: [string, string, string][] = [
  ['expression parameter', 'macro add_one(x) { x + 1 } begin { print(add_one(2)); }', 'begin { print((2 + 1)) }'],
  ['zero-argument macro called bare', 'macro one() { 1 } begin { print(one); print(one()); }', 'begin { print(1); print(1) }'],
  ['$v parameter is the caller\'s variable', 'macro inc($x) { $x += 1; } begin { $a = 1; inc($a); }', 'begin { $a = 1; { $a += 1 } }'],
  ['@m parameter is the caller\'s map', 'macro bump(@m) { @m[1]++; } begin { bump(@hits); }', 'begin { { @hits[1]++ } }'],
  ['a block argument is evaluated at each use', 'macro side_effects(x) { x; x; x; } begin { side_effects({ printf("hi") }); }', 'begin { { { printf("hi") }; { printf("hi") }; { printf("hi") } } }'],
  ['locals get a name of their own per expansion', 'macro inc(x) { $y = x + 1; $y } begin { $y = 2; $z = inc(5); $w = inc(6); }', 'begin { $y = 2; $z = { $__inc_1_y = (5 + 1); $__inc_1_y }; $w = { $__inc_2_y = (6 + 1); $__inc_2_y } }'],
  ['let and for variables are locals', 'macro first_key(@x) { let $k; for ($kv : @x) { $k = $kv.0; break; } $k } begin { print(first_key(@a)); }', 'begin { print({ let $__first_key_1_k; for $__first_key_1_kv : @a { $__first_key_1_k = $__first_key_1_kv.0; break }; $__first_key_1_k }) }'],
  ['a variable or map passed for an expression is wrapped, not writable', 'macro show(a, b) { print((a, b)); } begin { $y = 1; show(@d, $y); }', 'begin { $y = 1; { print(({ @d }, { $y })) } }'],
  ['macros call macros', 'macro add1(x) { x + 1 } macro add2(y) { y + add1(y) } begin { print(add2(1)); }', 'begin { print((1 + (1 + 1))) }'],
  ['definition order does not matter', 'macro add2(x) { add1(x) + 1 } macro add1(x) { x + 1 } begin { print(add2(1)); }', 'begin { print(((1 + 1) + 1)) }'],
  ['arguments are expanded before the call', 'macro add_one(x) { x + 1 } begin { print(add_one(add_one(1))); }', 'begin { print(((1 + 1) + 1)) }'],
  ['variables and maps forwarded through macros', 'macro second(a, b) { print((a, b)); } macro first(@b, $x) { second(@b, $x); } begin { first(@d, $y); }', 'begin { { { print(({ @d }, { $y })) } } }'],
  ['a parameter name beats a zero-argument macro', 'macro add() { 2 } macro ident(add) { add } begin { print(ident(1)); }', 'begin { print(1) }'],
  ['overloads by arity', 'macro f() { 0 } macro f(x) { 1 } macro f(x, y) { 2 } begin { print((f, f(9), f(9, 9))); }', 'begin { print((0, 1, 2)) }'],
  ['overloads by parameter flavor', 'macro f($x) { 1 } macro f(@x) { 2 } macro f(x) { 3 } begin { print((f($a), f(@a), f(5))); }', 'begin { print((1, 2, 3)) }'],
  ['macros expand in predicates and map declarations', 'macro big() { 100 } let @m = lruhash(big); tracepoint:a:b /big > 1/ { }', 'let @m = lruhash(100)\ntracepoint:a:b /(100 > 1)/ { }'],
  ['a type argument reaches a cast as typeof', 'macro p_cast(t, x) { (t)x } begin { print(p_cast(typeof(uint8), -1)); }', 'begin { print((typeof(uint8))-1) }'],
  ['an expression used as a type becomes typeof(expression)', 'macro as_type_of(v, x) { (v)x } begin { $a = (uint16)1; print(as_type_of($a, 7)); }', 'begin { $a = (uint16)1; print((typeof($a))7) }'],
  ['a type argument passes through calls, sizeof and let types', 'macro sz(t) { let $v: t = 0; sizeof(t) + f(t) } begin { print(sz(typeof(uint32))); }', 'begin { print({ let $__sz_1_v: typeof(uint32) = 0; (sizeof(typeof(uint32)) + f(typeof(uint32))) }) }'],
  ['a type argument indexed in sizeof is an array of that type, a pointer suffix a pointer to it', 'macro sof(a, b) { sizeof(a[2]) + sizeof(b*) + sizeof(b) } begin { print(sof(typeof(uint64*), typeof(uint8))); }', 'begin { print(((sizeof(typeof(uint64*)[2]) + sizeof(typeof(uint8)*)) + sizeof(typeof(uint8)))) }'],
  ['typeof of a parameter keeps the typeof node', 'macro add(x) { let $y: typeof(x); $y = 1; x + $y } begin { print(add(1)); }', 'begin { print({ let $__add_1_y: typeof(1); $__add_1_y = 1; (1 + $__add_1_y) }) }'],
  ['a statement macro used as a statement', 'macro early() { exit(); } begin { early(); print(1); }', 'begin { { exit() }; print(1) }'],
  ['calls that name no macro are left for builtins', 'macro m() { 1 } begin { print(pid); printf("%d", m); }', 'begin { print(pid); printf("%d", 1) }'],
];

for (const [name, src, out] of expansions) {
  test(`expands: ${name}`, (t) => {
    t.is(expand(src), out);
  });
}

test('macro definitions are gone after expansion; other items stay in order', (t) => {
  const { program } = expandMacros(parse('macro m() { 1 } let @a = hash(2); begin { } end { }', 'stdin'));
  t.deepEqual(program.items.map((i) => i.kind), ['MapDecl', 'Probe', 'Probe']);
});

test('body nodes keep the macro body\'s spans and record the call they came through', (t) => {
  const src = 'macro two() { 1 + 1 } begin { print(two); }';
  const { program } = expandMacros(parse(src, 'stdin'));
  const print = ((program.items[0] as A.Probe).body.statements[0] as A.ExprStmt).expr as A.Call;
  const sum = print.args[0] as A.Binary;
  t.like(sum.span, { line: 1, col: 15, endCol: 20 });
  t.like(sum.span.expandedFrom!, { macro: 'two', call: { line: 1, col: 37, endCol: 40 } });
  // The caller's own nodes keep plain spans.
  t.is(print.span.expandedFrom, undefined);
});

test('statement imports inside a used macro are collected and removed', (t) => {
  const r = expandMacros(parse('macro m() { import "x.bpf.c"; 1 } macro unused() { import "y.bpf.c"; 2 } begin { print(m); }', 'stdin'));
  t.is(show(r.program), 'begin { print(1) }');
  t.deepEqual(r.statementImports.map((s) => [s.path, s.macro, s.span.col]), [['x.bpf.c', 'm', 13]]);
});

test('a user macro overrides a library macro of the same signature; library macros keep calling their own', (t) => {
  const library = libraryFrom('macro abs(x) { 1000 } macro abs_diff(a, b) { abs(a - b) }');
  t.is(expand('macro abs(x) { 42 } begin { print((abs(-5), abs_diff(1, 5))); }', { library }), 'begin { print((42, 1000)) }');
  // Without the override, user code gets the library's.
  t.is(expand('begin { print(abs(-5)); }', { library }), 'begin { print(1000) }');
  // A different signature is an overload next to the library's, not an override.
  t.is(expand('macro abs(x, y) { 7 } begin { print((abs(1), abs(1, 2))); }', { library }), 'begin { print((1000, 7)) }');
});

test('library macros do not see user macros', (t) => {
  const library = libraryFrom('macro lib() { helper(1) }');
  t.is(expand('macro helper(x) { 99 } begin { print(lib); }', { library }), 'begin { print(helper(1)) }');
});

test('library locals are renamed too', (t) => {
  const library = libraryFrom('macro sq(x) { let $v = x; $v * $v }');
  t.is(expand('begin { print(sq(3)); }', { library }), 'begin { print({ let $__sq_1_v = 3; ($__sq_1_v * $__sq_1_v) }) }');
});

const errors: [string, string, string][] = [
  [
    'unhygienic map access',
    'macro set() { @x[1] = 1; 1 } begin { @x[0] = 0; set(); }',
    'stdin:1:15-17: ERROR: Unhygienic access to map: @x. Maps must be passed into the macro as arguments.\n' +
      'macro set() { @x[1] = 1; 1 } begin { @x[0] = 0; set(); }\n' +
      '              ~~\n' +
      'stdin:1:49-54: ERROR: in expansion of macro \'set\'\n' +
      'macro set() { @x[1] = 1; 1 } begin { @x[0] = 0; set(); }\n' +
      '                                                ~~~~~\n',
  ],
  [
    'unhygienic variable access',
    'macro get() { $a + 1 } begin { $a = 1; print(get()); }',
    'stdin:1:15-17: ERROR: Unhygienic access to variable: $a. Variables must be passed into the macro as arguments.\n' +
      'macro get() { $a + 1 } begin { $a = 1; print(get()); }\n' +
      '              ~~\n' +
      'stdin:1:46-51: ERROR: in expansion of macro \'get\'\n' +
      'macro get() { $a + 1 } begin { $a = 1; print(get()); }\n' +
      '                                             ~~~~~\n',
  ],
  [
    'an expression where a $v parameter is expected',
    'macro add($x, y) { $x + 1 } begin { add(1, 1); }',
    'stdin:1:37-46: ERROR: Call to add() has arguments that do not match any definition.\n' +
      'macro add($x, y) { $x + 1 } begin { add(1, 1); }\n' +
      '                                    ~~~~~~~~~\n' +
      'stdin:1:41-42: ERROR: Mismatched arg. add() expects a variable for arg $x but got an expression.\n' +
      'macro add($x, y) { $x + 1 } begin { add(1, 1); }\n' +
      '                                        ~\n' +
      'stdin:1:11-13: ERROR: This is the argument in the closest definition.\n' +
      'macro add($x, y) { $x + 1 } begin { add(1, 1); }\n' +
      '          ~~\n',
  ],
  [
    'an expression where a @m parameter is expected',
    'macro add(@x, y) { @x + 1 } begin { add(1, 1); }',
    'stdin:1:37-46: ERROR: Call to add() has arguments that do not match any definition.\n' +
      'macro add(@x, y) { @x + 1 } begin { add(1, 1); }\n' +
      '                                    ~~~~~~~~~\n' +
      'stdin:1:41-42: ERROR: Mismatched arg. add() expects a map for arg @x but got an expression.\n' +
      'macro add(@x, y) { @x + 1 } begin { add(1, 1); }\n' +
      '                                        ~\n' +
      'stdin:1:11-13: ERROR: This is the argument in the closest definition.\n' +
      'macro add(@x, y) { @x + 1 } begin { add(1, 1); }\n' +
      '          ~~\n',
  ],
  [
    'a map where a $v parameter is expected',
    'macro set($x) { $x += 1; $x } begin { @a = 1; set(@a); }',
    'stdin:1:47-54: ERROR: Call to set() has arguments that do not match any definition.\n' +
      'macro set($x) { $x += 1; $x } begin { @a = 1; set(@a); }\n' +
      '                                              ~~~~~~~\n' +
      'stdin:1:51-53: ERROR: Mismatched arg. set() expects a variable for arg $x but got a map.\n' +
      'macro set($x) { $x += 1; $x } begin { @a = 1; set(@a); }\n' +
      '                                                  ~~\n' +
      'stdin:1:11-13: ERROR: This is the argument in the closest definition.\n' +
      'macro set($x) { $x += 1; $x } begin { @a = 1; set(@a); }\n' +
      '          ~~\n',
  ],
  [
    'a variable where a @m parameter is expected',
    'macro set(@x) { @x[1] = 1; } begin { $a = 0; set($a); }',
    'stdin:1:46-53: ERROR: Call to set() has arguments that do not match any definition.\n' +
      'macro set(@x) { @x[1] = 1; } begin { $a = 0; set($a); }\n' +
      '                                             ~~~~~~~\n' +
      'stdin:1:50-52: ERROR: Mismatched arg. set() expects a map for arg @x but got a variable.\n' +
      'macro set(@x) { @x[1] = 1; } begin { $a = 0; set($a); }\n' +
      '                                                 ~~\n' +
      'stdin:1:11-13: ERROR: This is the argument in the closest definition.\n' +
      'macro set(@x) { @x[1] = 1; } begin { $a = 0; set($a); }\n' +
      '          ~~\n',
  ],
  [
    'the wrong number of arguments',
    'macro add(x) { x + 1 } macro add(x, y) { x + y } begin { add(1, 1, 1); }',
    'stdin:1:58-70: ERROR: Call to add() has arguments that do not match any definition.\n' +
      'macro add(x) { x + 1 } macro add(x, y) { x + y } begin { add(1, 1, 1); }\n' +
      '                                                         ~~~~~~~~~~~~\n' +
      'stdin:1:24-33: ERROR: The closest definition of add() has a different number of arguments. Expected: 2 but got 3\n' +
      'macro add(x) { x + 1 } macro add(x, y) { x + y } begin { add(1, 1, 1); }\n' +
      '                       ~~~~~~~~~\n',
  ],
  [
    'a bare word naming a macro that takes arguments',
    'macro add1($x) { $x += 1; $x } begin { $y = 1; $z = add1; }',
    'stdin:1:53-57: ERROR: Call to add1() has arguments that do not match any definition.\n' +
      'macro add1($x) { $x += 1; $x } begin { $y = 1; $z = add1; }\n' +
      '                                                    ~~~~\n' +
      'stdin:1:1-11: ERROR: The closest definition of add1() has a different number of arguments. Expected: 1 but got 0\n' +
      'macro add1($x) { $x += 1; $x } begin { $y = 1; $z = add1; }\n' +
      '~~~~~~~~~~\n',
  ],
  [
    'recursion',
    'macro add1(x) { x + add3(x) } macro add2(x) { x + add1(x) } macro add3(x) { x + add2(x) } begin { print(add3(1)); }',
    'stdin:1:21-28: ERROR: Recursive macro call detected. Call chain: add3 > add2 > add1 > add3\n' +
      'macro add1(x) { x + add3(x) } macro add2(x) { x + add1(x) } macro add3(x) { x + add2(x) } begin { print(add3(1)); }\n' +
      '                    ~~~~~~~\n' +
      'stdin:1:51-58: ERROR: in expansion of macro \'add1\'\n' +
      'macro add1(x) { x + add3(x) } macro add2(x) { x + add1(x) } macro add3(x) { x + add2(x) } begin { print(add3(1)); }\n' +
      '                                                  ~~~~~~~\n' +
      'stdin:1:81-88: ERROR: in expansion of macro \'add2\'\n' +
      'macro add1(x) { x + add3(x) } macro add2(x) { x + add1(x) } macro add3(x) { x + add2(x) } begin { print(add3(1)); }\n' +
      '                                                                                ~~~~~~~\n' +
      'stdin:1:105-112: ERROR: in expansion of macro \'add3\'\n' +
      'macro add1(x) { x + add3(x) } macro add2(x) { x + add1(x) } macro add3(x) { x + add2(x) } begin { print(add3(1)); }\n' +
      '                                                                                                        ~~~~~~~\n',
  ],
  [
    'a redefinition',
    'macro set($x) { $x } macro set($y) { $y } begin { }',
    'stdin:1:22-31: ERROR: Redefinition of macro: set\n' +
      'macro set($x) { $x } macro set($y) { $y } begin { }\n' +
      '                     ~~~~~~~~~\n' +
      'stdin:1:1-10: ERROR: This is the original definition.\n' +
      'macro set($x) { $x } macro set($y) { $y } begin { }\n' +
      '~~~~~~~~~\n',
  ],
  [
    'a parameter used twice',
    'macro set($x, $x) { $x } begin { }',
    'stdin:1:15-17: ERROR: Variable for macro argument has already been used: $x\n' +
      'macro set($x, $x) { $x } begin { }\n' +
      '              ~~\n',
  ],
  [
    'a declaration shadowing a $v parameter',
    'macro set($x) { let $x; $x } begin { $y = 1; set($y); }',
    'stdin:1:17-23: ERROR: Variable declaration shadows macro arg $x\n' +
      'macro set($x) { let $x; $x } begin { $y = 1; set($y); }\n' +
      '                ~~~~~~\n' +
      'stdin:1:46-53: ERROR: in expansion of macro \'set\'\n' +
      'macro set($x) { let $x; $x } begin { $y = 1; set($y); }\n' +
      '                                             ~~~~~~~\n',
  ],
  [
    'a type argument used as a value',
    'macro bad(t) { t + 1 } begin { print(bad(typeof(uint8))); }',
    'stdin:1:16-17: ERROR: Macro argument t is a type and cannot be used as a value here\n' +
      'macro bad(t) { t + 1 } begin { print(bad(typeof(uint8))); }\n' +
      '               ~\n' +
      'stdin:1:38-56: ERROR: in expansion of macro \'bad\'\n' +
      'macro bad(t) { t + 1 } begin { print(bad(typeof(uint8))); }\n' +
      '                                     ~~~~~~~~~~~~~~~~~~\n',
  ],
];

for (const [name, src, out] of errors) {
  test(`error: ${name}`, (t) => {
    t.is(errorOf(src), out);
  });
}

test('error: an argument doubled at each level of nesting stops at the limit', (t) => {
  const src = 'macro d(x) { x + x } begin { print(d(d(d(d(d(d(d(d(d(d(d(d(d(d(d(d(d(d(d(d(1))))))))))))))))))))); }';
  t.regex(errorOf(src), /^stdin:1:\d+-\d+: ERROR: Macro expansion limit reached: macros produced more than 200000 expressions\./);
  t.notThrows(() => expandMacros(parse('macro d(x) { x + x } begin { print(d(d(d(1)))); }', 'stdin'), { maxExpandedNodes: 100 }));
});

test('errors in nested macros list every call they came through', (t) => {
  const src = 'macro inner() { @m } macro outer() { inner() } begin { print(outer()); }';
  t.is(errorOf(src),
    'stdin:1:17-19: ERROR: Unhygienic access to map: @m. Maps must be passed into the macro as arguments.\n' +
      'macro inner() { @m } macro outer() { inner() } begin { print(outer()); }\n' +
      '                ~~\n' +
      'stdin:1:38-45: ERROR: in expansion of macro \'inner\'\n' +
      'macro inner() { @m } macro outer() { inner() } begin { print(outer()); }\n' +
      '                                     ~~~~~~~\n' +
      'stdin:1:62-69: ERROR: in expansion of macro \'outer\'\n' +
      'macro inner() { @m } macro outer() { inner() } begin { print(outer()); }\n' +
      '                                                             ~~~~~~~\n');
});
