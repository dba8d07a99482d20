// The nesting limit (core/syntax/nesting.ts) and the parser's cost on long and
// deep input: a construct nested past MAX_NESTING_DEPTH levels is a located
// error, raised as the parser builds it, and no input takes the parser time
// that grows faster than its length.
import test from 'ava';
import { MAX_NESTING_DEPTH, checkNesting, measureNesting, parse } from '../../../core/syntax/index.ts';
import type * as A from '../../../core/syntax/index.ts';
import { CompileError } from '../../../core/diagnostics/index.ts';
import { diag, message, parseOne, sx } from './helpers.ts';

const TOO_DEEP = `nesting too deep: more than ${MAX_NESTING_DEPTH} levels of blocks, statements and expressions`;

/** Nested constructs, `n` levels of the construct each. */
const nested: Record<string, (n: number) => string> = {
  '!': (n) => `begin { $x = ${'!'.repeat(n)}1; }`,
  '*': (n) => `begin { $x = ${'*'.repeat(n)}$p; }`,
  '.a': (n) => `begin { $x = $y${'.a'.repeat(n)}; }`,
  'f(': (n) => `begin { $x = ${'f('.repeat(n)}1${')'.repeat(n)}; }`,
  '{': (n) => `begin { ${'{'.repeat(n)}@x = 1;${'}'.repeat(n)} }`,
  'if': (n) => `begin { ${'if (1) {'.repeat(n)}@x = 1;${'}'.repeat(n)} }`,
  'else if': (n) => `begin { ${Array.from({ length: n }, (_, i) => `if ($x == ${i}) { }`).join(' else ')} }`,
  '?:': (n) => `begin { $x = ${'1 ? '.repeat(n)}1${' : 2'.repeat(n)}; }`,
  '+': (n) => `begin { $x = ${Array(n).fill('1').join(' + ')}; }`,
  'cast': (n) => `begin { $x = ${'(uint8)'.repeat(n)}1; }`,
  'type *': (n) => `begin { $x = (int8${'*'.repeat(n)})0; }`,
  'tuple': (n) => `begin { $x = ${'(1, '.repeat(n)}1${')'.repeat(n)}; }`,
  '@m[': (n) => `begin { $x = ${'@m['.repeat(n)}1${']'.repeat(n)}; }`,
};

test('the limit is 64 levels: a probe and its body count, the program does not', (t) => {
  t.is(MAX_NESTING_DEPTH, 64);
  // begin (1) { (2) $x = (3) !...! (60) 1 (1) } : 64 levels.
  t.notThrows(() => parseOne(nested['!']!(60)));
  t.is(message(nested['!']!(61)), TOO_DEEP);
  t.is(measureNesting(parseOne(nested['!']!(60)).items[0]!), 64);
});

test('every nested construct stops at the limit, located where the construct too deep begins', (t) => {
  for (const [name, make] of Object.entries(nested)) {
    const started = performance.now();
    const d = diag(make(5000));
    const ms = performance.now() - started;
    t.regex(d ?? '', new RegExp(`^stdin:1:\\d+-\\d+: ERROR: ${TOO_DEEP}\\n`), name);
    t.true(ms < 5000, `${name}: ${ms.toFixed(0)} ms`);
  }
  // The marker is one column, at the first token of the level too many:
  // the innermost block holds 3 levels (`{`, `@x = 1`, `@x`), so the 38th
  // `{` of 100 (column 46) is the first over 64.
  t.is(diag(nested['{']!(100)), [
    `stdin:1:46-47: ERROR: ${TOO_DEEP}`,
    nested['{']!(100),
    `${' '.repeat(45)}~`,
    '',
  ].join('\n'));
});

test('below the limit every construct parses as before', (t) => {
  for (const [name, make] of Object.entries(nested)) t.notThrows(() => parseOne(make(20)), name);
  t.is(sx('1 + 2 * 3 - 4 << 1 || 5 && 6'), '(|| (<< (- (+ 1 (* 2 3)) 4) 1) (&& 5 6))');
  t.is(sx('a ? b : c ? d : e'), '(? a b (? c d e))');
});

test('checkNesting measures trees the parser did not build (the macro expander\'s)', (t) => {
  const leaf: A.Expr = { kind: 'Integer', span: { file: 'x', line: 1, col: 1, endLine: 1, endCol: 2 }, value: 1n, text: '1' };
  let e: A.Expr = leaf;
  for (let i = 0; i < 100; i++) e = { kind: 'Unary', span: { file: 'x', line: 2, col: i + 1, endLine: 2, endCol: 200 }, op: '!', operand: e };
  const stmt: A.Stmt = { kind: 'ExprStmt', span: e.span, expr: e };
  const program: A.Program = {
    kind: 'Program',
    span: e.span,
    items: [{ kind: 'Probe', span: e.span, attachPoints: [], body: { kind: 'Block', span: e.span, statements: [stmt] } }],
  };
  const error = t.throws(() => checkNesting(program), { instanceOf: CompileError });
  // Innermost first: the 64th `!` above the literal (the node at column 64) is the first over.
  t.deepEqual(error?.diagnostics[0]?.span, { file: 'x', line: 2, col: 64, endLine: 2, endCol: 65 });
});

/** Long (not deep) input, each case at two sizes 8 times apart: linear time takes ~8 times as long, quadratic ~64. */
const long: Record<string, (n: number) => string> = {
  arguments: (n) => `begin { printf("x", ${Array(n).fill('1').join(', ')}); }`,
  statements: (n) => `begin { ${'@x = 1; '.repeat(n)}}`,
  probes: (n) => 'begin { }\n'.repeat(n),
  'attach points': (n) => `${Array(n).fill('begin').join(', ')} { }`,
  'tuple elements': (n) => `begin { $x = (${Array(n).fill('1').join(', ')}); }`,
  'config entries': (n) => `config = { ${Array(n).fill('max_strlen = 1').join('; ')} } begin { }`,
  'map keys': (n) => `begin { @m[${Array(n).fill('1').join(', ')}] = 1; }`,
  parentheses: (n) => `begin { $x = ${'('.repeat(n)}1${')'.repeat(n)}; }`,
};

/** The quickest of two parses (a busy machine only ever adds time). */
function parseMs(text: string): number {
  let best = Infinity;
  for (let i = 0; i < 2; i++) {
    const started = performance.now();
    try {
      parse(text, 'stdin');
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
    }
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

test('parsing takes time in proportion to the input', (t) => {
  for (const [name, make] of Object.entries(long)) {
    parseMs(make(200)); // warm up
    // The quickest of a few runs: a busy machine slows some of them.
    const small = Math.max(Math.min(parseMs(make(1000)), parseMs(make(1000)), parseMs(make(1000))), 5);
    const large = Math.min(parseMs(make(8000)), parseMs(make(8000)));
    t.true(large < small * 24 + 500, `${name}: ${small.toFixed(0)} ms for 1,000, ${large.toFixed(0)} ms for 8,000`);
  }
});

test('a syntax error deep inside 1,000 open blocks is reported at once, not after walking every open derivation', (t) => {
  // nearley's own message for this took 44 s; the parse table gives bpftrace's in well under a second.
  const text = `begin { ${'if (pid) { 1; '.repeat(1000)})${' }'.repeat(1000)} }`;
  const started = performance.now();
  const error = t.throws(() => parse(text, 'stdin'), { instanceOf: CompileError });
  t.regex(error!.message, /syntax error, unexpected \)/);
  t.true(performance.now() - started < 10_000, `${performance.now() - started} ms`);
});
