// Macro bodies evaluated as C constant expressions: literals, operators with
// C's precedence and unsigned rules, casts, sizeof, names, and the errors.
import test from 'ava';
import { ConstExprError, evaluateConstant, type ConstResolver, type ConstValue } from '../../../../plugins/compiler/c-types/index.ts';

const resolver: ConstResolver = {
  identifier: (name) => ({ ONE: { kind: 'int', value: 1n, unsigned: false }, GREETING: { kind: 'string', value: 'hi' } } as Record<string, ConstValue>)[name],
  integerType: (s) => ({ int: { size: 4, signed: true }, 'unsigned char': { size: 1, signed: false }, u16: { size: 2, signed: false }, long: { size: 8, signed: true } } as Record<string, { size: number; signed: boolean }>)[s],
  sizeOfType: (s) => ({ 'struct foo': 24, int: 4 } as Record<string, number>)[s],
};

/** The value as C would print it: signed unless the expression is unsigned. */
function ev(body: string): bigint | string {
  const v = evaluateConstant(body, resolver);
  if (v.kind === 'string') return v.value;
  return v.unsigned ? v.value : BigInt.asIntN(64, v.value);
}

test('integer literals: bases and suffixes', (t) => {
  t.is(ev('10'), 10n);
  t.is(ev('0x1F'), 31n);
  t.is(ev('017'), 15n);
  t.is(ev('0b101'), 5n);
  t.is(ev('10UL'), 10n);
  t.is(ev('10llu'), 10n);
  t.is(ev('0xffffffffffffffff'), 0xffffffffffffffffn);
  t.true(evaluateConstant('0xffffffffffffffff', resolver).kind === 'int' && (evaluateConstant('0xffffffffffffffff', resolver) as { unsigned: boolean }).unsigned);
  t.throws(() => ev('10q'), { instanceOf: ConstExprError, message: /unexpected|suffix/ });
});

test('character and string literals', (t) => {
  t.is(ev("'A'"), 65n);
  t.is(ev("'\\n'"), 10n);
  t.is(ev("'\\x41'"), 65n);
  t.is(ev("'\\377'"), -1n);
  t.is(ev('"a\\tb"'), 'a\tb');
  t.is(ev('"ab" "cd"'), 'abcd');
  t.is(ev('(GREETING)'), 'hi');
});

test("operators with C's precedence", (t) => {
  t.is(ev('1 + 2 * 3'), 7n);
  t.is(ev('(1 + 2) * 3'), 9n);
  t.is(ev('1 << 4 | 1'), 17n);
  t.is(ev('7 & 3 ^ 1'), 2n);
  t.is(ev('-7 / 2'), -3n);
  t.is(ev('-7 % 2'), -1n);
  t.is(ev('!0 + !5'), 1n);
  t.is(ev('~0'), -1n);
  t.is(ev('1 < 2 && 3 >= 3 || 0'), 1n);
  t.is(ev('2 == 2 ? 10 : 20'), 10n);
  t.is(ev('0 ? 1 : 0 ? 2 : 3'), 3n);
  t.is(ev('ONE + 1'), 2n);
});

test("C's unsigned rules", (t) => {
  t.is(ev('-1U'), 0xffffffffffffffffn);
  t.is(ev('-1 < 0U'), 0n);
  t.is(ev('-1 < 0'), 1n);
  t.is(ev('-8 >> 1'), -4n);
  t.is(ev('(0ULL - 8) >> 1'), 0x7ffffffffffffffcn);
});

test('casts and sizeof', (t) => {
  t.is(ev('(unsigned char)300'), 44n);
  t.is(ev('(int)0xffffffff'), -1n);
  t.is(ev('(u16)-1'), 65535n);
  t.is(ev('(long)(1 << 40)'), 1n << 40n);
  t.is(ev('sizeof(struct foo) * 2'), 48n);
  t.is(ev('sizeof(int)'), 4n);
  t.is(ev('(ONE)'), 1n, 'a parenthesised name that is not a type is an expression');
});

test('what is not a constant is an error saying why', (t) => {
  t.throws(() => ev(''), { message: 'the macro has no value' });
  t.throws(() => ev('pid'), { message: "'pid' is not a constant" });
  t.throws(() => ev('1 / 0'), { message: 'division by zero' });
  t.throws(() => ev('1 << 64'), { message: 'shift count 64 is out of range' });
  t.throws(() => ev('"a" + 1'), { message: "a string cannot be an operand of '+'" });
  t.throws(() => ev('(struct foo)1'), { message: "cannot cast to 'struct foo'" });
  t.throws(() => ev('sizeof(struct bar)'), { message: "unknown type 'struct bar'" });
  t.throws(() => ev('(1'), { message: "expected ')'" });
  t.throws(() => ev('1.5'), { message: "unexpected '.5'" });
});
