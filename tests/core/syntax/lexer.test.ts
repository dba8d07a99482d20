import test from 'ava';
import { decodeInteger, decodeString, tokenize } from '../../../core/syntax/index.ts';

function types(src: string): string[] {
  return tokenize(src, 'stdin').map((t) => `${t.type}:${t.text}`);
}

test('decodeInteger', (t) => {
  const ok = (s: string): bigint => {
    const d = decodeInteger(s);
    if (!d.ok) throw new Error(d.error.message);
    return d.value;
  };
  t.is(ok('0'), 0n);
  t.is(ok('42'), 42n);
  t.is(ok('0x2A'), 42n);
  t.is(ok('052'), 42n);
  t.is(ok('4_2'), 42n);
  t.is(ok('1e0'), 1n);
  t.is(ok('9e18'), 9_000_000_000_000_000_000n);
  t.is(ok('4294967295u'), 4294967295n);
  t.is(ok('18446744073709551615ULL'), 18446744073709551615n);
  t.is(ok('1us'), 1000n);
  const bad = (s: string): string => {
    const d = decodeInteger(s);
    if (d.ok) throw new Error('expected an error');
    return d.error.message;
  };
  t.is(bad('9223372036854775808l'), 'overflow error, maximum value is 9223372036854775807: 9223372036854775808l');
  t.is(bad('2e20'), 'overflow error, maximum value is 18446744073709551615: 2e20');
  t.is(bad('5x'), "invalid integer suffix 'x'");
  t.is(bad('5lu'), "invalid integer suffix 'lu'");
  t.is(bad('5MS'), "invalid integer suffix 'MS'");
});

test('decodeString', (t) => {
  const ok = (s: string): string => {
    const d = decodeString(s);
    if (!d.ok) throw new Error(d.error.message);
    return d.value;
  };
  t.is(ok('""'), '');
  t.is(ok('"\\n\\t\\r\\"\\\\"'), '\n\t\r"\\');
  t.is(ok('"\\0\\12\\101\\1011"'), '\0\nAA1');
  t.is(ok('"\\x41\\X42\\x4g"'), 'AB\x04g');
  t.is(ok('"€"'), '\xe2\x82\xac');
  const d = decodeString('"ab\\z"');
  t.deepEqual(d, { ok: false, error: { message: "invalid escape character '\\z'", start: 3, end: 5 } });
});

test('attach point tokens stop at whitespace, comma, brace and predicate slash', (t) => {
  t.deepEqual(types('uprobe:/bin/bash:readline,k:f /pid/ {}'), [
    'ap:uprobe:/bin/bash:readline',
    'comma:,',
    'ap:k:f',
    'predstart:/',
    'ident:pid',
    'endpred:/',
    'lbrace:{',
    'rbrace:}',
  ]);
  t.deepEqual(types('i:s:1/1/{}'), ['ap:i:s:1', 'predstart:/', 'int:1', 'endpred:/', 'lbrace:{', 'rbrace:}']);
  t.deepEqual(types('BEGIN/x/{}'), ['ap:BEGIN', 'predstart:/', 'ident:x', 'endpred:/', 'lbrace:{', 'rbrace:}']);
});

test('top-level keywords and C definitions', (t) => {
  t.deepEqual(types('config = { a = 1 }'), ['kw:config', 'op:=', 'lbrace:{', 'ident:a', 'op:=', 'int:1', 'rbrace:}']);
  t.deepEqual(types('struct A { struct { int x; } b; }; BEGIN {}'), [
    'cdef:struct A { struct { int x; } b; };',
    'ap:BEGIN',
    'lbrace:{',
    'rbrace:}',
  ]);
  t.deepEqual(types('typedef struct { int x; } t_t; #define X 1\nBEGIN {}'), [
    'cdef:typedef struct { int x; } t_t;',
    'preproc:#define X 1',
    'ap:BEGIN',
    'lbrace:{',
    'rbrace:}',
  ]);
});

test('keywords, type names and identifiers in code', (t) => {
  t.deepEqual(types('begin { if uint8 config sizeof x_t }').slice(2, 7), [
    'kw:if',
    'typename:uint8',
    'ident:config',
    'kw:sizeof',
    'ident:x_t',
  ]);
});

test('the cast rule marks the closing parenthesis', (t) => {
  const closes = (src: string): string[] =>
    tokenize(`begin { ${src} }`, 'stdin')
      .filter((x) => x.type === 'rparen' || x.type === 'castclose')
      .map((x) => x.type);
  t.deepEqual(closes('(uint8)1'), ['castclose']);
  t.deepEqual(closes('(a) + 1'), ['rparen']);
  t.deepEqual(closes('(a) - 1'), ['rparen']);
  t.deepEqual(closes('(a_t) - 1'), ['castclose']);
  t.deepEqual(closes('(a)$x'), ['castclose']);
  t.deepEqual(closes('(pid)$x'), ['rparen']);
  t.deepEqual(closes('(struct x *)p'), ['castclose']);
  t.deepEqual(closes('(typeof($x))1'), ['rparen', 'castclose']);
  t.deepEqual(closes('sizeof(uint8) - 1'), ['rparen']);
  t.deepEqual(closes('f(uint8) - 1'), ['rparen']);
  t.deepEqual(closes('if (x) {}'), ['rparen']);
  t.deepEqual(closes('(a[4])$x'), ['castclose']);
  t.deepEqual(closes('(a[$i])$x'), ['rparen']);
});
