// The type pass on maps: key and value types (global across probes, found by
// a fixed point over the probe instances), aggregations, declarations, and
// every error with the exact diagnostic the CLI prints.
import test from 'ava';
import { checkScript, errorOf, mapsOf, varsOf } from './helpers.ts';

test('key and value types: integers stored as 64 bits, several keys as a tuple, aggregations by kind', (t) => {
  t.deepEqual(mapsOf('begin { @a = 1; @b[1, "x"] = (uint8)2; @c = count(); @s = sum(-1); @h = hist(5); @k[(uint16)1] = "v"; }'), [
    '@a: int64',
    '@b[(int64,string[2])]: uint64',
    '@c: count_t',
    '@s: sum_t',
    '@h: hist_t',
    '@k[uint64]: string[2]',
  ]);
});

test('sum keeps the signedness of what it adds', (t) => {
  const maps = checkScript('begin { @s = sum(-1); @u = sum((uint32)1); }').typed.maps;
  t.deepEqual(maps.get('@s')!.value, { kind: 'sum', signed: true });
  t.deepEqual(maps.get('@u')!.value, { kind: 'sum', signed: false });
});

test('values and keys widen over assignments', (t) => {
  t.deepEqual(mapsOf('begin { @x = 1; @x = -1; @y = (uint8)1; @y = (uint16)1; @k[(uint8)1] = 1; @k[(int32)2] = 1; @s = "a"; @s = "abcd"; }'), [
    '@x: int64',
    '@y: uint64',
    '@k[int64]: int64',
    '@s: string[5]',
  ]);
});

test('reading a map: plain values as they are, counts as uint64; ++ gives an untyped map int64', (t) => {
  t.deepEqual(varsOf('begin { @c = count(); @c += 1; $n = @c; @v[1] = (int32)3; $w = @v[2]; @p++; $q = @p; }'), [{ $n: 'uint64', $w: 'int64', $q: 'int64' }]);
});

test('the fixed point: a map read in one probe takes the types another probe assigns later', (t) => {
  const src = 'begin { $v = @late; for ($kv : @keyed) { $k = $kv.0; } } interval:s:1 { @late = "str"; } end { @keyed[comm] = 1; }';
  t.deepEqual(checkScript(src).instances.map((i) => i.expanded.name), ['begin', 'interval:s:1', 'end']);
  t.deepEqual(varsOf(src), [{ $v: 'string[4]', $kv: '(string[16],int64)', $k: 'string[16]' }, {}, {}]);
});

test('a map no probe assigns cannot be read', (t) => {
  t.is(errorOf('begin { $x = @never; }'), [
    'stdin:1:14-20: ERROR: Undefined map: @never',
    'begin { $x = @never; }',
    '             ~~~~~~',
    '',
  ].join('\n'));
});

test('mismatched value types, in one probe and across probes', (t) => {
  t.is(errorOf('begin { @c = count(); @c = 1; }'), [
    "stdin:1:23-29: ERROR: Type mismatch for @c: trying to assign value of type 'int64' when map already contains a value of type 'count_t'",
    'begin { @c = count(); @c = 1; }',
    '                      ~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { @m = 1; } end { @m = "s"; }'), [
    "stdin:1:25-33: ERROR: Type mismatch for @m: trying to assign value of type 'string[2]' when map already contains a value of type 'int64'",
    'begin { @m = 1; } end { @m = "s"; }',
    '                        ~~~~~~~~',
    '',
  ].join('\n'));
});

test('mismatched key types', (t) => {
  t.is(errorOf('begin { @m[1] = 1; @m["a"] = 2; }'), [
    "stdin:1:20-27: ERROR: Argument mismatch for @m: trying to access with arguments: 'string[2]' when map expects arguments: 'int64'",
    'begin { @m[1] = 1; @m["a"] = 2; }',
    '                   ~~~~~~~',
    '',
  ].join('\n'));
});

test('mismatched keys of a map of several keys are named by their own types, as tuples of them are', (t) => {
  t.is(errorOf('begin { @g[1, "hi"] = 2; $x = @g[(1, 2)]; }'), [
    "stdin:1:31-41: ERROR: Argument mismatch for @g: trying to access with arguments: '(int8,int8)' when map expects arguments: '(int8,string[3])'",
    'begin { @g[1, "hi"] = 2; $x = @g[(1, 2)]; }',
    '                              ~~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { @x[1, "hi"] = 1; $y = @x["hi", 1]; }'), [
    "stdin:1:31-42: ERROR: Argument mismatch for @x: trying to access with arguments: '(string[3],int8)' when map expects arguments: '(int8,string[3])'",
    'begin { @x[1, "hi"] = 1; $y = @x["hi", 1]; }',
    '                              ~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('a map is keyed or scalar, as its first use says', (t) => {
  t.is(errorOf('begin { @m[1] = 1; @m = 2; }'), [
    'stdin:1:20-22: ERROR: @m used as a map without an explicit key (scalar map), previously used with an explicit key (non-scalar map)',
    'begin { @m[1] = 1; @m = 2; }',
    '                   ~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { @m = 1; @m[1] = 2; }'), [
    'stdin:1:17-22: ERROR: @m used as a map with an explicit key (non-scalar map), previously used without an explicit key (scalar map)',
    'begin { @m = 1; @m[1] = 2; }',
    '                ~~~~~',
    '',
  ].join('\n'));
});

test('aggregations are assigned with = straight to a map', (t) => {
  t.is(errorOf('begin { @c += count() }'), [
    'stdin:1:9-22: ERROR: count() can only be assigned with =',
    'begin { @c += count() }',
    '        ~~~~~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { $x = count() }'), [
    'stdin:1:14-21: ERROR: count() must be assigned directly to a map',
    'begin { $x = count() }',
    '             ~~~~~~~',
    '',
  ].join('\n'));
});

test('aggregations that cannot be updated with an operator or read in a probe', (t) => {
  t.is(errorOf('begin { @h = hist(1); @h += 1 }'), [
    'stdin:1:23-30: ERROR: The += operator cannot be used on a map of type hist_t',
    'begin { @h = hist(1); @h += 1 }',
    '                      ~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('begin { @h = hist(1); $y = @h }'), [
    'stdin:1:28-30: ERROR: Map value of type hist_t cannot be read in a probe; print it instead',
    'begin { @h = hist(1); $y = @h }',
    '                           ~~',
    '',
  ].join('\n'));
});

test('declared maps: flavor and size are kept', (t) => {
  const m = checkScript('let @m = lruhash(10); let @p = percpuhash(); begin { @m[1] = 2; @p[1] = 3; }').typed.maps;
  t.deepEqual(m.get('@m')!.declared, { mapType: 'lruhash', maxEntries: 10 });
  t.deepEqual(m.get('@p')!.declared, { mapType: 'percpuhash', maxEntries: undefined });
});

test('declared maps: bad flavor, bad size, declared twice', (t) => {
  t.is(errorOf('let @m = array(1); begin { }'), [
    'stdin:1:1-19: ERROR: Invalid map type: array. Valid types are: hash, lruhash, percpuhash, percpulruhash',
    'let @m = array(1); begin { }',
    '~~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
  t.is(errorOf('let @m = hash(0); begin { }'), [
    'stdin:1:15-16: ERROR: Map size must be a positive integer literal',
    'let @m = hash(0); begin { }',
    '              ~',
    '',
  ].join('\n'));
  t.is(errorOf('let @m = hash(2); let @m = hash(3); begin { }'), [
    'stdin:1:19-36: ERROR: Map @m is declared twice',
    'let @m = hash(2); let @m = hash(3); begin { }',
    '                  ~~~~~~~~~~~~~~~~~',
    '',
  ].join('\n'));
});

test('builtins that end the probe are refused in a loop over a map', (t) => {
  t.is(errorOf('begin { @m[1] = 1; for ($kv : @m) { exit(); } }'), [
    'stdin:1:37-43: ERROR: exit() is not allowed inside a for loop over a map',
    'begin { @m[1] = 1; for ($kv : @m) { exit(); } }',
    '                                    ~~~~~~',
    '',
  ].join('\n'));
});
