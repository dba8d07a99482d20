// Positional parameters as upstream reads them: integers in every spelling of
// an integer literal, text elsewhere; substituted into attach points; read as
// text by str().
import test from 'ava';
import { parse } from '../../../core/syntax/index.ts';
import { positionalInteger, substitutePositional } from '../../../core/passes/positional/index.ts';
import { CompileError } from '../../../core/diagnostics/index.ts';
import type * as A from '../../../core/syntax/ast.ts';
import { printed } from './types/helpers.ts';

test('a parameter spelling an integer is that integer: decimal, hex, octal, binary, separators, durations, negative', (t) => {
  const cases: [string, bigint | undefined][] = [
    ['123', 123n], ['0x123', 0x123n], ['0775', 0o775n], ['0b101', 5n], ['1_000', 1000n], ['5ms', 5_000_000n],
    ['-10', -10n], ['0xffffffffffffffff', (1n << 64n) - 1n], ['-9223372036854775808', -(1n << 63n)], ['', 0n],
    ['hello', undefined], ['12abc', undefined], ['0x', undefined], ['-', undefined], ['1.5', undefined],
    ['18446744073709551616', undefined], ['-9223372036854775809', undefined], [' 1', undefined],
  ];
  for (const [text, want] of cases) t.is(positionalInteger(text), want, text);
});

test('a bare $N is typed from its text: int64, uint64 past int64, a string otherwise', (t) => {
  t.deepEqual(printed('begin { print($1); print($2); print($3); print($4); }', { positional: ['0x10', '0xffffffffffffffff', '0775', 'word'] }), [
    'int64 = 16', 'uint64 = 18446744073709551615', 'int64 = 509', 'string[5]',
  ]);
});

function attachPoints(src: string, positional: string[]): string[] {
  const { program } = substitutePositional(parse(src, 'stdin'), positional);
  return program.items.filter((i): i is A.Probe => i.kind === 'Probe').flatMap((p) => p.attachPoints.map((ap) => ap.raw));
}

test('$N in an attach point is replaced by its text, whole parts or inside a word; quoted text keeps its $', (t) => {
  t.deepEqual(attachPoints('i:ms:$1 {} BEG$2 {} $3 {}', ['5', 'IN', 'interval:s:1']), ['i:ms:5', 'BEGIN', 'interval:s:1']);
  t.deepEqual(attachPoints('uprobe:"/tmp/a$1":f {}', ['x']), ['uprobe:"/tmp/a$1":f']);
  t.deepEqual(attachPoints('i:ms:1$2 {}', ['9']), ['i:ms:1'], 'a missing parameter is empty');
});

test('a $ in an attach point not followed by a parameter number is a located error', (t) => {
  const error = (src: string) => {
    try {
      substitutePositional(parse(src, 'stdin'), []);
    } catch (e) {
      if (e instanceof CompileError) return e.diagnostics.map((d) => `${d.span?.col}-${d.span?.endCol}: ${d.message}`);
    }
    return [];
  };
  t.deepEqual(error('i:ms:$x {}'), ['1-8: invalid trailing character for positional param: x. Try quoting this entire part if this is intentional e.g. "$x".']);
  t.deepEqual(error('i:ms:$0 {}'), ['1-8: invalid trailing character for positional param: 0. Try quoting this entire part if this is intentional e.g. "$0".']);
  t.deepEqual(error('i:ms:1$ {}'), ['1-8: positional parameter is not valid: a number is expected after $']);
});

test('str($N) is the text as given, a literal; str($N + k) and text $N + k drop k characters', (t) => {
  const opts = { positional: ['0x10', 'hello', '7'] };
  t.deepEqual(printed('begin { print(str($1)); print(str($2 + 1)); print($2 + 4); print(str($3)); }', opts), [
    'string[5] = "0x10"', 'string[5] = "ello"', 'string[2] = "o"', 'string[2] = "7"',
  ]);
});

test('an offset past the end of the text is the empty string, with upstream\'s warning', (t) => {
  const { program, warnings } = substitutePositional(parse('begin { print(str($1 + 5)); }', 'stdin'), ['hi']);
  t.deepEqual(warnings.map((w) => `${w.span?.col}-${w.span?.endCol}: ${w.message}`), ['19-25: literal string will always be empty']);
  const probe = program.items[0] as A.Probe;
  const call = (probe.body.statements[0] as A.ExprStmt).expr as A.Call;
  t.deepEqual(call.args[0], { kind: 'String', span: call.args[0]!.span, value: '' });
});
