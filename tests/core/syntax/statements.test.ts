import test from 'ava';
import { body, strip, sxBody } from './helpers.ts';

// Each row: probe body → its statements as S-expressions joined by `; `.
const table: [string, string][] = [
  // separators
  ['{ }', ''],
  ['{ f() }', '(call f)'],
  ['{ f(); }', '(call f)'],
  ['{ f(); g() }', '(call f); (call g)'],
  ['{ f(); g(); }', '(call f); (call g)'],
  // assignments
  ['{ $x = 1 }', '(= $x 1)'],
  ['{ @m = 1 }', '(= @m 1)'],
  ['{ @ = 1 }', '(= @ 1)'],
  ['{ @m[k] = 1 }', '(= ([] @m k) 1)'],
  ['{ @m[k1, k2] = 1 }', '(= ([] @m k1 k2) 1)'],
  ['{ $x += 1; $x -= 1; $x *= 2; $x /= 2; $x %= 3 }', '(+= $x 1); (-= $x 1); (*= $x 2); (/= $x 2); (%= $x 3)'],
  ['{ @m &= 1; @m |= 2; @m ^= 3; @m <<= 4; @m[1] >>= 5 }', '(&= @m 1); (|= @m 2); (^= @m 3); (<<= @m 4); (>>= ([] @m 1) 5)'],
  ['{ $x = $y == 1 }', '(= $x (== $y 1))'],
  ['{ $a = { let $b = 1; $b }; }', '(= $a {(let $b 1); => $b})'],
  ['{ $x = if (c) { 1 } else { 2 }; }', '(= $x (ifexpr c {=> 1} {=> 2}))'],
  // updates
  ['{ $x++; ++$x; @m[1]--; --@m }', '(post++ $x); (pre++ $x); (post-- ([] @m 1)); (pre-- @m)'],
  ['{ @[comm]++ }', '(post++ ([] @ comm))'],
  ['{ ($x)++; ++(@m) }', '(post++ $x); (pre++ @m)'],
  ['{ if a { } else { } ++$x; }', '(if a {} {}); (pre++ $x)'],
  // let
  ['{ let $x; }', '(let $x)'],
  ['{ let $x = 1; }', '(let $x 1)'],
  ['{ let $x: uint16 = 1; }', '(let $x :uint16 1)'],
  ['{ let $s: string[64]; }', '(let $s :string[64])'],
  ['{ let $y: typeof($x); }', '(let $y :(typeof $x))'],
  ['{ let $p: struct task_struct * = curtask }', '(let $p :(ptr struct:task_struct) curtask)'],
  ['{ let $t: foo_t; }', '(let $t :foo_t)'],
  ['{ let $a: int32[4]; }', '(let $a :(array int32 4))'],
  // control flow
  ['{ if ($x) { f() } }', '(if $x {(call f)})'],
  ['{ if $x > 1 { f() } }', '(if (> $x 1) {(call f)})'],
  ['{ if (a) { f() } else { g() } }', '(if a {(call f)} {(call g)})'],
  ['{ if a { 1 } else if b { 2 } else { 3 } }', '(if a {1} (if b {2} {3}))'],
  ['{ if a { 1 } else if b { 2 } }', '(if a {1} (if b {2}))'],
  ['{ if comptime (probetype != "kprobe") { fail("x"); } }', '(if-comptime (!= probetype "kprobe") {(call fail "x")})'],
  ['{ if comptime is_str(x) { 1 } else { 2 } }', '(if-comptime (call is_str x) {1} {2})'],
  ['{ if (comptime x) { } }', '(if (comptime x) {})'],
  ['{ if a { } f() }', '(if a {}); (call f)'],
  ['{ if a { }; f() }', '(if a {}); (call f)'],
  ['{ if a { 1 } else { 2 } - 1; }', '(if a {1} {2}); (u- 1)'],
  ['{ while ($i < 10) { $i++ } }', '(while (< $i 10) {(post++ $i)})'],
  ['{ while $i < 10 { $i++; } }', '(while (< $i 10) {(post++ $i)})'],
  ['{ unroll(3) { @x++ } }', '(unroll 3 {(post++ @x)})'],
  ['{ unroll (4) { } }', '(unroll 4 {})'],
  ['{ unroll($1) { } }', '(unroll $1 {})'],
  ['{ for ($kv : @m) { print($kv.0) } }', '(for $kv @m {(call print (.N $kv 0))})'],
  ['{ for $kv : @m { } }', '(for $kv @m {})'],
  ['{ for ($i : 0..10) { } }', '(for $i (range 0 10) {})'],
  ['{ for $i : 0..ncpus { } }', '(for $i (range 0 ncpus) {})'],
  ['{ for ($i : $a + 1..$n * 2) { } }', '(for $i (range (+ $a 1) (* $n 2)) {})'],
  ['{ for ($i : 0..10) { if ($i == 2) { continue } if ($i == 5) { break; } } }', '(for $i (range 0 10) {(if (== $i 2) {continue}); (if (== $i 5) {break})})'],
  ['{ return; }', '(return)'],
  ['{ return }', '(return)'],
  ['{ return 1; }', '(return 1)'],
  ['{ return -1 }', '(return (u- 1))'],
  ['{ break; continue }', 'break; continue'],
  // blocks, discard, import
  ['{ { f() } }', '{(call f)}'],
  ['{ { } { } }', '{}; {}'],
  ['{ { f() }; g() }', '{(call f)}; (call g)'],
  ['{ _ = has_key(@a, 1); }', '(discard (call has_key @a 1))'],
  ['{ _ = 1 }', '(discard 1)'],
  ['{ import "stdlib/strings/strings.bpf.c"; f() }', '(import "stdlib/strings/strings.bpf.c"); (call f)'],
  ['{ (if a { 1 } else { 2 }) + 1; }', '(+ (ifexpr a {=> 1} {=> 2}) 1)'],
  ['{ ({ 1 }); }', '{=> 1}'],
  ['{ comptime x; }', '(comptime x)'],
  ['{ printf("%s\\n", str(args.filename)); }', '(call printf "%s\\n" (call str (. args filename)))'],
];

for (const [src, want] of table) {
  test(`stmt ${src}`, (t) => {
    t.is(sxBody(`begin ${src}`), want);
  });
}

test('statement node shapes', (t) => {
  t.deepEqual(strip(body('begin { let $x: uint8 = 1; @m[1, 2] += 3; if comptime a { } else { } }')), [
    {
      kind: 'LetDecl',
      variable: { kind: 'Variable', name: '$x' },
      type: { kind: 'NamedType', name: 'uint8' },
      value: { kind: 'Integer', value: 1n, text: '1' },
    },
    {
      kind: 'Assign',
      target: {
        kind: 'MapAccess',
        map: { kind: 'MapRef', name: '@m' },
        keys: [
          { kind: 'Integer', value: 1n, text: '1' },
          { kind: 'Integer', value: 2n, text: '2' },
        ],
      },
      op: '+=',
      value: { kind: 'Integer', value: 3n, text: '3' },
    },
    {
      kind: 'If',
      comptime: true,
      cond: { kind: 'Identifier', name: 'a' },
      then: { kind: 'Block', statements: [] },
      else: { kind: 'Block', statements: [] },
    },
  ]);
});

test('for loops over maps and ranges', (t) => {
  t.deepEqual(strip(body('begin { for ($i : 0..10) { } for $kv : @m { } }')), [
    {
      kind: 'For',
      variable: { kind: 'Variable', name: '$i' },
      iterable: {
        kind: 'Range',
        from: { kind: 'Integer', value: 0n, text: '0' },
        to: { kind: 'Integer', value: 10n, text: '10' },
      },
      body: { kind: 'Block', statements: [] },
    },
    {
      kind: 'For',
      variable: { kind: 'Variable', name: '$kv' },
      iterable: { kind: 'MapRef', name: '@m' },
      body: { kind: 'Block', statements: [] },
    },
  ]);
});
