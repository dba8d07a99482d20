// Maps in JSON, checked against upstream bpftrace's tests/runtime/json-output
// (exact lines where upstream expects exact text, parsed documents where it
// compares JSON) and against the schema.
import test from 'ava';
import type { MapValueKind, Value, ValueType } from '../../../../core/manifest/index.ts';
import { JsonOutputFormat, formatJsonMap, jsonHistogram, jsonMapKey, jsonMapType } from '../../../../plugins/output/json/index.ts';
import { bool, buf, capture, hist, histOf, i32, i64, int, lhistOf, mapInfo, plain, ptr, record, stats, str, tuple, u64 } from '../../../helpers/output.ts';
import { parseLines, schemaErrors } from './schema.ts';
import { histJson, histMultipleJson, histMultipleKeysJson, lhistJson, statsMultipleJson } from './upstream.ts';

const strKey = str(16);

/** The one line printed, parsed; fails the test unless it is valid against the schema. */
function parsed(line: string): unknown {
  const [m, ...rest] = parseLines(line);
  if (rest.length > 0) throw new Error(`more than one line: ${line}`);
  const errors = schemaErrors(m);
  if (errors) throw new Error(`schema: ${errors}\n${line}`);
  return m;
}

// --- plain and aggregate values --------------------------------------------------------

test('scalar map (upstream "scalar")', (t) => {
  const line = formatJsonMap(mapInfo('@scalar', { kind: 'plain', type: i64 }), [{ value: plain(5n) }]);
  t.is(line, '{"type": "map", "data": {"@scalar": 5}}\n');
  t.deepEqual(parsed(line), { type: 'map', data: { '@scalar': 5 } });
});

test('scalar string with escapes (upstream "scalar_str")', (t) => {
  const line = formatJsonMap(mapInfo('@scalar_str', { kind: 'plain', type: str(16) }), [{ value: plain('a b \n d e') }]);
  t.deepEqual(parsed(line), { type: 'map', data: { '@scalar_str': 'a b \n d e' } });
});

test('multi-key map: elements joined by "," (upstream "complex")', (t) => {
  const key = tuple([str(16), 0], [i64, 16]);
  const line = formatJsonMap(mapInfo('@complex', { kind: 'plain', type: i64 }, key), [{ key: ['bpftrace', 2n], value: plain(5n) }]);
  t.is(line, '{"type": "map", "data": {"@complex": {"bpftrace,2": 5}}}\n');
  parsed(line);
});

test('string keys, sorted by value (upstream "map")', (t) => {
  const info = mapInfo('@map', { kind: 'plain', type: i64 }, strKey);
  const line = formatJsonMap(info, [
    { key: 'key2', value: plain(3n) },
    { key: 'key1', value: plain(2n) },
  ]);
  t.is(line, '{"type": "map", "data": {"@map": {"key1": 2, "key2": 3}}}\n');
  parsed(line);
});

test('tuple values are arrays (upstream "tuple", "tuple_with_struct")', (t) => {
  const inner = tuple([i64, 0], [i64, 8]);
  const ty = tuple([i64, 0], [i64, 8], [str(8), 16], [inner, 24]);
  t.is(formatJsonMap(mapInfo('@', { kind: 'plain', type: ty }), [{ value: plain([1n, 2n, 'string', [4n, 5n]]) }]), '{"type": "map", "data": {"@": [1,2,"string",[4,5]]}}\n');
  const foo = record(['m', i32, 0], ['n', i32, 4]);
  const line = formatJsonMap(mapInfo('@', { kind: 'plain', type: tuple([i64, 0], [foo, 8]) }), [{ value: plain([0n, { kind: 'record', fields: [['m', 2n], ['n', 3n]] }]) }]);
  t.is(line, '{"type": "map", "data": {"@": [0,{"m": 2, "n": 3}]}}\n');
  parsed(line);
});

test('pointer values are numbers (upstream "print_hex_values")', (t) => {
  t.is(formatJsonMap(mapInfo('@', { kind: 'plain', type: ptr }), [{ value: plain(0x32n) }]), '{"type": "map", "data": {"@": 50}}\n');
});

test('count, sum, min, max: integers; sorted ascending by value; big ones as strings', (t) => {
  const info = mapInfo('@c', { kind: 'count' }, i64);
  const line = formatJsonMap(info, [
    { key: 3n, value: int(30n) },
    { key: 1n, value: int(10n) },
    { key: 2n, value: int(20n) },
  ]);
  t.is(line, '{"type": "map", "data": {"@c": {"1": 10, "2": 20, "3": 30}}}\n');
  t.is(formatJsonMap(mapInfo('@s', { kind: 'sum', signed: true }), [{ value: int(-7n) }]), '{"type": "map", "data": {"@s": -7}}\n');
  t.is(formatJsonMap(mapInfo('@s', { kind: 'sum', signed: false }), [{ value: int(18446744073709551615n) }]), '{"type": "map", "data": {"@s": "18446744073709551615"}}\n');
  t.is(formatJsonMap(mapInfo('@mn', { kind: 'min', signed: true }), [{ value: int(-3n) }]), '{"type": "map", "data": {"@mn": -3}}\n');
  t.is(formatJsonMap(mapInfo('@mx', { kind: 'max', signed: true }), [{ value: int(4n) }]), '{"type": "map", "data": {"@mx": 4}}\n');
});

test('keys: tuples without spaces, strings kept whole, enums by name, bools, buffers, nested tuples and records', (t) => {
  t.is(jsonMapKey([1n, 'a b'], tuple([i64, 0], [str(8), 8])), '1,a b');
  t.is(jsonMapKey('q"x', strKey), 'q"x');
  t.is(jsonMapKey(2n, { kind: 'int', size: 4, signed: false, enumName: 'E' }, { enumNames: new Map([['E', new Map([[2n, 'TWO']])]]) }), 'TWO');
  t.is(jsonMapKey(true, bool), 'true');
  t.is(jsonMapKey(new Uint8Array([104, 1]), buf(2)), 'h\\x01');
  t.is(jsonMapKey(0x10n, ptr), '0x10');
  t.is(jsonMapKey([[1n, 2n], 3n], tuple([tuple([i64, 0], [i64, 8]), 0], [i64, 16])), '(1,2),3');
  t.is(jsonMapKey({ kind: 'record', fields: [['a', 1n], ['b', 'x y']] }, record(['a', i64, 0], ['b', str(8), 8])), '{.a=1,.b=x y}');
  t.is(jsonMapKey([1n, 2n], { kind: 'array', element: i32, length: 2, size: 8 }), '[1,2]');
  // The key is escaped as a JSON string.
  t.is(formatJsonMap(mapInfo('@str', { kind: 'plain', type: str(8) }, strKey), [{ key: 'q"x', value: plain('a\tb') }]), '{"type": "map", "data": {"@str": {"q\\"x": "a\\tb"}}}\n');
});

test('print(@m, top, div): the last `top` entries, integers divided', (t) => {
  const info = mapInfo('@', { kind: 'count' }, strKey);
  const entries = ['a', 'b', 'c', 'd'].map((k, i) => ({ key: k, value: int(BigInt(10 * (i + 1))) }));
  t.is(formatJsonMap(info, entries, { top: 2, div: 10 }), '{"type": "map", "data": {"@": {"c": 3, "d": 4}}}\n');
  t.is(formatJsonMap(info, entries, { top: 10, div: 0 }), '{"type": "map", "data": {"@": {"a": 10, "b": 20, "c": 30, "d": 40}}}\n');
});

test('an empty map prints nothing', (t) => {
  t.is(formatJsonMap(mapInfo('@x', { kind: 'count' }), []), '');
  t.is(formatJsonMap(mapInfo('@x', { kind: 'count' }, i64), []), '');
  t.is(formatJsonMap(mapInfo('@h', { kind: 'hist', bits: 0 }, i64), []), '');
});

// --- stats and avg --------------------------------------------------------------------

test('stats: {count, average, total} (upstream "stats", "multiple stats")', (t) => {
  const line = formatJsonMap(mapInfo('@stats', { kind: 'stats', signed: true }), [{ value: stats(12n, 2n) }]);
  t.is(line, '{"type": "stats", "data": {"@stats": {"count": 2, "average": 6, "total": 12}}}\n');
  parsed(line);
  const keyed = formatJsonMap(mapInfo('@stats', { kind: 'stats', signed: true }, strKey), [
    { key: 'zsh', value: stats(10n, 1n) },
    { key: 'curl', value: stats(2n, 1n) },
  ]);
  t.deepEqual(parsed(keyed), statsMultipleJson);
});

test('avg maps are "stats" messages of averages (upstream "print_avg_map_args", "..._with_large_top")', (t) => {
  const info = mapInfo('@', { kind: 'avg', signed: true }, strKey);
  const entries = ['a', 'b', 'c', 'd'].map((k, i) => ({ key: k, value: stats(BigInt(10 * (i + 1)), 1n) }));
  t.is(formatJsonMap(info, entries, { top: 2, div: 10 }), '{"type": "stats", "data": {"@": {"c": 3, "d": 4}}}\n');
  t.is(formatJsonMap(info, entries, { top: 10, div: 10 }), '{"type": "stats", "data": {"@": {"a": 1, "b": 2, "c": 3, "d": 4}}}\n');
  t.is(formatJsonMap(mapInfo('@a', { kind: 'avg', signed: true }), [{ value: stats(-9n, 2n) }]), '{"type": "stats", "data": {"@a": -4}}\n');
});

test('stats: div divides the average only', (t) => {
  t.is(formatJsonMap(mapInfo('@s', { kind: 'stats', signed: false }), [{ value: stats(100n, 2n) }], { div: 10 }), '{"type": "stats", "data": {"@s": {"count": 2, "average": 5, "total": 100}}}\n');
});

test('an empty avg/stats map still prints {} (as bpftrace)', (t) => {
  const line = formatJsonMap(mapInfo('@y', { kind: 'avg', signed: true }), []);
  t.is(line, '{"type": "stats", "data": {"@y": {}}}\n');
  parsed(line);
  t.is(formatJsonMap(mapInfo('@y', { kind: 'stats', signed: true }, i64), []), '{"type": "stats", "data": {"@y": {}}}\n');
});

// --- hist and lhist -------------------------------------------------------------------

test('hist of 2 and 1025 (upstream "histogram", outputs/hist.json)', (t) => {
  const line = formatJsonMap(mapInfo('@hist', { kind: 'hist', bits: 0 }), [{ value: hist(histOf([2n, 1025n])) }]);
  t.deepEqual(parsed(line), histJson);
  t.true(line.startsWith('{"type": "hist", "data": {"@hist": [{"min": 2, "max": 3, "count": 1},{"min": 4, "max": 7, "count": 0},'));
});

test('hist zeroed: an empty bucket list (upstream outputs/hist_zero.json)', (t) => {
  const line = formatJsonMap(mapInfo('@hist', { kind: 'hist', bits: 0 }), [{ value: hist(histOf([])) }]);
  t.is(line, '{"type": "hist", "data": {"@hist": []}}\n');
  parsed(line);
});

test('keyed hists: negative bucket has only max, sorted by total count (upstream outputs/hist_multiple.json)', (t) => {
  const info = mapInfo('@', { kind: 'hist', bits: 0 }, strKey);
  const line = formatJsonMap(info, [
    { key: 'curl', value: hist(histOf([-1n, 0n, 511n, 1024n, 1025n])) },
    { key: 'bpftrace', value: hist(histOf([2n])) },
  ]);
  t.deepEqual(parsed(line), histMultipleJson);
  t.true(line.startsWith('{"type": "hist", "data": {"@": {"bpftrace": [{"min": 2, "max": 3, "count": 1}], "curl": [{"max": -1, "count": 1},'));
});

test('hists with multi-keys (upstream outputs/hist_multiple_multiple_keys.json)', (t) => {
  const info = mapInfo('@', { kind: 'hist', bits: 0 }, tuple([str(16), 0], [i64, 16]));
  const line = formatJsonMap(info, [
    { key: ['bpftrace', 2n], value: hist(histOf([2n])) },
    { key: ['curl', 3n], value: hist(histOf([511n, 1024n])) },
  ]);
  t.deepEqual(parsed(line), histMultipleKeysJson);
});

test('hist(n, 3) of 0..1023 (upstream outputs/hist_2args.json)', (t) => {
  const values = Array.from({ length: 1024 }, (_, i) => BigInt(i));
  const m = parsed(formatJsonMap(mapInfo('@', { kind: 'hist', bits: 3 }), [{ value: hist(histOf(values, 3)) }])) as { data: { '@': { min: number; max: number; count: number }[] } };
  const expected: { min: number; max: number; count: number }[] = [];
  for (let v = 0; v < 16; v++) expected.push({ min: v, max: v, count: 1 });
  for (let p = 4; p < 10; p++) {
    const width = 1 << (p - 3);
    for (let j = 0; j < 8; j++) {
      const min = (1 << p) + j * width;
      expected.push({ min, max: min + width - 1, count: width });
    }
  }
  t.deepEqual(m.data['@'], expected);
});

test('hist of 10G (upstream outputs/hist_10g.json)', (t) => {
  const line = formatJsonMap(mapInfo('@', { kind: 'hist', bits: 0 }), [{ value: hist(histOf([10n * 1024n * 1024n * 1024n])) }]);
  t.is(line, '{"type": "hist", "data": {"@": [{"min": 8589934592, "max": 17179869183, "count": 1}]}}\n');
});

test('print(@h, top): the hists with the largest totals (upstream "print_hist_with_top_arg")', (t) => {
  const info = mapInfo('@', { kind: 'hist', bits: 0 }, i64);
  const entries = [
    { key: 1n, value: hist(histOf([10n])) },
    { key: 2n, value: hist(histOf([20n])) },
    { key: 3n, value: hist(histOf([30n])) },
  ];
  t.is(formatJsonMap(info, entries, { top: 2 }), '{"type": "hist", "data": {"@": {"2": [{"min": 16, "max": 31, "count": 1}], "3": [{"min": 16, "max": 31, "count": 1}]}}}\n');
  t.is(
    formatJsonMap(info, entries, { top: 10 }),
    '{"type": "hist", "data": {"@": {"1": [{"min": 8, "max": 15, "count": 1}], "2": [{"min": 16, "max": 31, "count": 1}], "3": [{"min": 16, "max": 31, "count": 1}]}}}\n',
  );
});

test('hist: div divides the counts; bounds of the last bucket are strings past 2^53', (t) => {
  const kind: MapValueKind = { kind: 'hist', bits: 0 };
  t.is(jsonHistogram(histOf([5n, 5n, 5n, 5n]), kind as Extract<MapValueKind, { kind: 'hist' }>, 2n), '[{"min": 4, "max": 7, "count": 2}]');
  t.is(jsonHistogram(histOf([(1n << 63n) - 1n]), kind as Extract<MapValueKind, { kind: 'hist' }>), '[{"min": 4611686018427387904, "max": "9223372036854775807", "count": 1}]');
});

test('lhist of 2, 50, 1000 in 0..100 step 10: overflow bucket has only min (upstream outputs/lhist.json)', (t) => {
  const line = formatJsonMap(mapInfo('@h', { kind: 'lhist', min: 0n, max: 100n, step: 10n }), [{ value: hist(lhistOf([2n, 50n, 1000n], 0n, 100n, 10n)) }]);
  t.deepEqual(parsed(line), lhistJson);
});

test('lhist: below-min bucket has only max; zeroed lhist is [] (upstream outputs/lhist_zero.json)', (t) => {
  const kind = { kind: 'lhist', min: 10n, max: 20n, step: 5n } as const;
  t.is(formatJsonMap(mapInfo('@h', kind), [{ value: hist(lhistOf([3n, 12n], 10n, 20n, 5n)) }]), '{"type": "hist", "data": {"@h": [{"max": 9, "count": 1},{"min": 10, "max": 14, "count": 1}]}}\n');
  t.is(formatJsonMap(mapInfo('@h', kind), [{ value: hist(lhistOf([], 10n, 20n, 5n)) }]), '{"type": "hist", "data": {"@h": []}}\n');
  // lhist ignores div, as bpftrace.
  t.is(formatJsonMap(mapInfo('@h', kind), [{ value: hist(lhistOf([12n, 12n], 10n, 20n, 5n)) }], { div: 2 }), '{"type": "hist", "data": {"@h": [{"min": 10, "max": 14, "count": 2}]}}\n');
});

test('keyed lhists sorted by total count (upstream outputs/lhist_multiple.json)', (t) => {
  const info = mapInfo('@stats', { kind: 'lhist', min: 0n, max: 100n, step: 10n }, strKey);
  const line = formatJsonMap(info, [
    { key: 'bpftrace', value: hist(lhistOf([2n, 1000n], 0n, 100n, 10n)) },
    { key: 'curl', value: hist(lhistOf([50n], 0n, 100n, 10n)) },
  ]);
  t.true(line.startsWith('{"type": "hist", "data": {"@stats": {"curl": [{"min": 50, "max": 59, "count": 1}], "bpftrace": [{"min": 0, "max": 9, "count": 1},'));
  t.true(line.endsWith('{"min": 100, "count": 1}]}}}\n'));
  parsed(line);
});

test('message types: hist for hist/lhist, stats for avg/stats, map for the rest', (t) => {
  t.is(jsonMapType({ kind: 'hist', bits: 0 }), 'hist');
  t.is(jsonMapType({ kind: 'lhist', min: 0n, max: 1n, step: 1n }), 'hist');
  t.is(jsonMapType({ kind: 'avg', signed: true }), 'stats');
  t.is(jsonMapType({ kind: 'stats', signed: true }), 'stats');
  for (const k of ['count', 'sum', 'min', 'max'] as const) t.is(jsonMapType(k === 'count' ? { kind: k } : { kind: k, signed: true }), 'map');
  t.is(jsonMapType({ kind: 'plain', type: u64 }), 'map');
});

// --- the OutputFormat --------------------------------------------------------------------

test('maps at exit: one line per map in name order, empty maps skipped, nothing else (upstream "multiple maps")', (t) => {
  const w = capture();
  const f = new JsonOutputFormat();
  f.mapsAtExit(
    [
      { info: mapInfo('@map2', { kind: 'plain', type: i64 }, strKey), entries: [{ key: 'key2', value: plain(3n) }] },
      { info: mapInfo('@empty', { kind: 'count' }, strKey), entries: [] },
      { info: mapInfo('@map1', { kind: 'plain', type: i64 }, strKey), entries: [{ key: 'key1', value: plain(2n) }] },
    ],
    w,
  );
  t.is(w.stdout, '{"type": "map", "data": {"@map1": {"key1": 2}}}\n{"type": "map", "data": {"@map2": {"key2": 3}}}\n');
  t.is(w.stderr, '');
  const none = capture();
  f.mapsAtExit([], none);
  t.is(none.stdout, '');
});

test('printMap through the OutputFormat uses top and div', (t) => {
  const w = capture();
  new JsonOutputFormat().printMap({ info: mapInfo('@', { kind: 'count' }, i64), entries: [{ key: 1n, value: int(100n) }, { key: 2n, value: int(50n) }] }, { top: 1, div: 10 }, w);
  t.is(w.stdout, '{"type": "map", "data": {"@": {"1": 10}}}\n');
  const empty = capture();
  new JsonOutputFormat().printMap({ info: mapInfo('@', { kind: 'count' }, i64), entries: [] }, { top: 0, div: 0 }, empty);
  t.is(empty.stdout, '');
});

test('scalar map values of every plain type', (t) => {
  const cases: [ValueType, Value, string][] = [
    [bool, true, 'true'],
    [buf(3), new Uint8Array([1, 2, 3]), '[1,2,3]'],
    [tuple([i64, 0], [str(8), 8], [bool, 16]), [1n, 'x', true], '[1,"x",true]'],
    [record(['a', i64, 0]), { kind: 'record', fields: [['a', -1n]] }, '{"a": -1}'],
  ];
  for (const [type, value, json] of cases) {
    const line = formatJsonMap(mapInfo('@t', { kind: 'plain', type }), [{ value: plain(value) }]);
    t.is(line, `{"type": "map", "data": {"@t": ${json}}}\n`);
    parsed(line);
  }
});
