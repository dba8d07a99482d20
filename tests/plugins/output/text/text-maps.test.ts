import test from 'ava';
import { histBucket, type MapEntry, type MapValueKind, type ValueType } from '../../../../core/manifest/index.ts';
import { formatHistogram, formatMap, formatMapsAtExit, histBucketLabel, lhistBucketLabel } from '../../../../plugins/output/text/index.ts';
import { bool, hist, histOf, i64, int, lhistOf, mapInfo, plain, stats, str, tuple, u64 } from '../../../helpers/output.ts';

const bar = (n: number) => '|' + '@'.repeat(n).padEnd(52) + '|';
const row = (label: string, count: number, n: number) => label.padEnd(16) + String(count).padStart(8) + ' ' + bar(n);


// --- hist / lhist drawings ------------------------------------------------------------

test('hist of -1, 2, 3, 7, 20 (upstream tests/runtime/outputs/hist.txt)', (t) => {
  const map = mapInfo('@', { kind: 'hist', bits: 0 });
  const expected =
    '@:\n' +
    '(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n' +
    '[0]                    0 |                                                    |\n' +
    '[1]                    0 |                                                    |\n' +
    '[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
    '[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n' +
    '[8, 16)                0 |                                                    |\n' +
    '[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n' +
    '\n';
  t.is(formatMap(map, [{ value: hist(histOf([-1n, 2n, 3n, 7n, 20n])) }]), expected);
});

test('lhist(x, 0, 10, 2) of -1, 2, 3, 7, 20 (upstream tests/runtime/outputs/lhist.txt)', (t) => {
  const map = mapInfo('@', { kind: 'lhist', min: 0n, max: 10n, step: 2n });
  const expected =
    '@:\n' +
    '(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n' +
    '[0, 2)                 0 |                                                    |\n' +
    '[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
    '[4, 6)                 0 |                                                    |\n' +
    '[6, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n' +
    '[8, 10)                0 |                                                    |\n' +
    '[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n' +
    '\n';
  t.is(formatMap(map, [{ value: hist(lhistOf([-1n, 2n, 3n, 7n, 20n], 0n, 10n, 2n)) }]), expected);
});

test('hist of 2 and 20 starts at the first non-empty bucket (upstream hist_2_values.txt)', (t) => {
  const map = mapInfo('@', { kind: 'hist', bits: 0 });
  const expected =
    '@:\n' +
    '[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
    '[4, 8)                 0 |                                                    |\n' +
    '[8, 16)                0 |                                                    |\n' +
    '[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
    '\n';
  t.is(formatMap(map, [{ value: hist(histOf([2n, 20n])) }]), expected);
});

test('hist labels switch to K/M/G at powers of 1024 (1500, 2e6, 5e9)', (t) => {
  const map = mapInfo('@bytes', { kind: 'hist', bits: 0 });
  const labels = [
    '[1K, 2K)', '[2K, 4K)', '[4K, 8K)', '[8K, 16K)', '[16K, 32K)', '[32K, 64K)', '[64K, 128K)', '[128K, 256K)', '[256K, 512K)', '[512K, 1M)',
    '[1M, 2M)', '[2M, 4M)', '[4M, 8M)', '[8M, 16M)', '[16M, 32M)', '[32M, 64M)', '[64M, 128M)', '[128M, 256M)', '[256M, 512M)', '[512M, 1G)',
    '[1G, 2G)', '[2G, 4G)', '[4G, 8G)',
  ];
  const ones = new Set(['[1K, 2K)', '[1M, 2M)', '[4G, 8G)']);
  const expected = '@bytes:\n' + labels.map((l) => row(l, ones.has(l) ? 1 : 0, ones.has(l) ? 52 : 0) + '\n').join('') + '\n';
  t.is(formatMap(map, [{ value: hist(histOf([1500n, 2_000_000n, 5_000_000_000n])) }]), expected);
});

test('hist labels at the top of the range', (t) => {
  t.is(histBucketLabel(64, 0), '[4E, 8E)');
  t.is(histBucketLabel(63, 0), '[2E, 4E)');
  t.is(histBucketLabel(61, 0), '[512P, 1E)');
  t.is(histBucketLabel(histBucket(2n ** 63n - 1n, 0), 0), '[4E, 8E)');
});

test('hist(n, 2): single values up to 7, then four buckets per power of two', (t) => {
  const map = mapInfo('@k', { kind: 'hist', bits: 2 });
  const expected =
    '@k:\n' +
    '[5]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
    '[6]                    0 |                                                    |\n' +
    '[7]                    0 |                                                    |\n' +
    '[8, 10)                0 |                                                    |\n' +
    '[10, 12)               0 |                                                    |\n' +
    '[12, 14)               0 |                                                    |\n' +
    '[14, 16)               0 |                                                    |\n' +
    '[16, 20)               0 |                                                    |\n' +
    '[20, 24)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
    '[24, 28)               0 |                                                    |\n' +
    '[28, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n' +
    '\n';
  t.is(formatMap(map, [{ value: hist(histOf([5n, 20n, 30n], 2)) }]), expected);
  t.is(histBucketLabel(histBucket(3000n, 2), 2), '[2560, 3072)');
  t.is(histBucketLabel(histBucket(4096n, 2), 2), '[4K, 5K)');
  t.is(histBucketLabel(histBucket(0n, 1), 1), '[0]');
  t.is(histBucketLabel(histBucket(4n, 1), 1), '[4, 6)');
});

test('lhist labels: K/M when the step is a multiple of 1024, single values with step 1', (t) => {
  t.is(lhistBucketLabel(0, 0n, 10240n, 1024n), '(..., 0)');
  t.is(lhistBucketLabel(1, 0n, 10240n, 1024n), '[0, 1K)');
  t.is(lhistBucketLabel(3, 0n, 10240n, 1024n), '[2K, 3K)');
  t.is(lhistBucketLabel(11, 0n, 10240n, 1024n), '[10K, ...)');
  t.is(lhistBucketLabel(2, 1048576n - 1024n, 2n * 1048576n, 1024n), '[1M, 1025K)');
  t.is(lhistBucketLabel(1, -2048n, 2048n, 1024n), '[-2K, -1K)');
  t.is(lhistBucketLabel(1, 0n, 10000n, 1000n), '[0, 1000)');
  t.is(lhistBucketLabel(1, 0n, 5n, 1n), '[0]');
  t.is(lhistBucketLabel(4, 0n, 5n, 1n), '[3]');
  t.is(lhistBucketLabel(5, 0n, 5n, 1n), '[4]');
  t.is(lhistBucketLabel(6, 0n, 5n, 1n), '[5, ...)'); // max - min is a multiple of step: max itself is in the last bucket
  t.is(lhistBucketLabel(0, -5n, 5n, 1n), '(..., -5)');
});

test('lhist with step 1, and a histogram with only overflow', (t) => {
  const m = mapInfo('@m', { kind: 'lhist', min: 0n, max: 5n, step: 1n });
  t.is(
    formatMap(m, [{ value: hist(lhistOf([0n, 3n], 0n, 5n, 1n)) }]),
    '@m:\n' + row('[0]', 1, 52) + '\n' + row('[1]', 0, 0) + '\n' + row('[2]', 0, 0) + '\n' + row('[3]', 1, 52) + '\n\n',
  );
  const o = mapInfo('@o', { kind: 'lhist', min: 0n, max: 10n, step: 2n });
  t.is(formatMap(o, [{ value: hist(lhistOf([11n, 12n], 0n, 10n, 2n)) }]), '@o:\n' + row('[10, ...)', 2, 52) + '\n\n');
  t.is(formatMap(o, [{ value: hist(lhistOf([-1n], 0n, 10n, 2n)) }]), '@o:\n' + row('(..., 0)', 1, 52) + '\n\n');
});

test('bars are computed in single-precision float, as bpftrace does', (t) => {
  // 15/26*52 is 29.99.. in double but exactly 30 in float.
  const counts = [0n, 0n, 0n, 15n, 26n];
  t.is(formatHistogram(counts, (i) => histBucketLabel(i, 0)), row('[2, 4)', 15, 30) + '\n' + row('[4, 8)', 26, 52) + '\n');
  t.is(formatHistogram([0n, 3n, 7n], (i) => histBucketLabel(i, 0)), row('[0]', 3, 22) + '\n' + row('[1]', 7, 52) + '\n');
  t.is(formatHistogram([0n, 0n], (i) => histBucketLabel(i, 0)), '');
});

test('a hist with no counts prints its header and an empty line', (t) => {
  const map = mapInfo('@h', { kind: 'hist', bits: 0 });
  t.is(formatMap(map, [{ value: hist(new Array(65).fill(0n)) }]), '@h:\n\n');
});

test('long labels and wide counts are not cut', (t) => {
  const counts = new Array<bigint>(65).fill(0n);
  counts[60] = 123456789012n;
  t.is(formatHistogram(counts, (i) => histBucketLabel(i, 0)), '[256P, 512P)    123456789012 |' + '@'.repeat(52) + '|\n');
});

test('keyed hists: one drawing per key, sorted by total count, top keeps the last', (t) => {
  const map = mapInfo('@h', { kind: 'hist', bits: 0 }, i64);
  const entries: MapEntry[] = [
    { key: 3n, value: hist(histOf([30n, 30n, 30n])) },
    { key: 1n, value: hist(histOf([10n])) },
    { key: 2n, value: hist(histOf([20n, 20n])) },
  ];
  const d = (label: string, count: number) => row(label, count, 52) + '\n';
  t.is(formatMap(map, entries), '@h[1]:\n' + d('[8, 16)', 1) + '\n' + '@h[2]:\n' + d('[16, 32)', 2) + '\n' + '@h[3]:\n' + d('[16, 32)', 3) + '\n');
  t.is(formatMap(map, entries, { top: 2 }), '@h[2]:\n' + d('[16, 32)', 2) + '\n' + '@h[3]:\n' + d('[16, 32)', 3) + '\n');
  t.is(formatMap(map, entries, { top: 10 }), formatMap(map, entries));
  // equal totals: by key
  const tie: MapEntry[] = [
    { key: 9n, value: hist(histOf([1n])) },
    { key: 4n, value: hist(histOf([1n])) },
  ];
  t.is(formatMap(map, tie), '@h[4]:\n' + d('[1]', 1) + '\n' + '@h[9]:\n' + d('[1]', 1) + '\n');
});

test('div divides hist counts (rows chosen before dividing) but not lhist counts', (t) => {
  const h = mapInfo('@h', { kind: 'hist', bits: 0 });
  const counts = new Array<bigint>(65).fill(0n);
  counts[3] = 20n;
  counts[4] = 5n;
  t.is(formatMap(h, [{ value: hist(counts) }], { div: 10 }), '@h:\n' + row('[2, 4)', 2, 52) + '\n' + row('[4, 8)', 0, 0) + '\n\n');
  const l = mapInfo('@l', { kind: 'lhist', min: 0n, max: 10n, step: 2n });
  t.is(formatMap(l, [{ value: hist(lhistOf([1n, 1n], 0n, 10n, 2n)) }], { div: 10 }), '@l:\n' + row('[0, 2)', 2, 52) + '\n\n');
});

// --- scalar and keyed values ----------------------------------------------------------

test('scalar maps: `@x: value`; empty maps print nothing', (t) => {
  t.is(formatMap(mapInfo('@c', { kind: 'count' }), [{ value: int(5n) }]), '@c: 5\n');
  t.is(formatMap(mapInfo('@c', { kind: 'count' }), []), '');
  t.is(formatMap(mapInfo('@', { kind: 'sum', signed: true }), [{ value: int(-12n) }]), '@: -12\n');
  t.is(formatMap(mapInfo('@x', { kind: 'plain', type: str(16) }), [{ value: plain('hello') }]), '@x: hello\n');
  t.is(formatMap(mapInfo('@b', { kind: 'plain', type: bool }), [{ value: plain(true) }]), '@b: true\n');
  t.is(
    formatMap(mapInfo('@t', { kind: 'plain', type: tuple([i64, 0], [str(4), 8]) }), [{ value: plain([1n, 'a']) }]),
    '@t: (1, a)\n',
  );
});

test('stats print as a record, avg as the integer average (truncated toward zero)', (t) => {
  const s = mapInfo('@s', { kind: 'stats', signed: true });
  t.is(formatMap(s, [{ value: stats(6n, 3n) }]), '@s: { .count = 3, .average = 2, .total = 6 }\n');
  t.is(formatMap(s, [{ value: stats(-5n, 2n) }]), '@s: { .count = 2, .average = -2, .total = -5 }\n');
  t.is(formatMap(s, [{ value: stats(0n, 0n) }]), '@s: { .count = 0, .average = 0, .total = 0 }\n');
  t.is(formatMap(s, [{ value: stats(-7n, 2n) }], { div: 2 }), '@s: { .count = 2, .average = -1, .total = -7 }\n');
  const a = mapInfo('@a', { kind: 'avg', signed: true }, i64);
  t.is(formatMap(a, [{ key: 2n, value: stats(5n, 1n) }, { key: 1n, value: stats(-5n, 2n) }]), '@a[1]: -2\n@a[2]: 5\n');
});

test('print(@, 2, 10) on avg: the last two by average, divided (upstream print_avg_map_args)', (t) => {
  const a = mapInfo('@', { kind: 'avg', signed: true }, str(8));
  const entries: MapEntry[] = [
    { key: 'c', value: stats(30n, 1n) },
    { key: 'a', value: stats(10n, 1n) },
    { key: 'd', value: stats(40n, 1n) },
    { key: 'b', value: stats(20n, 1n) },
  ];
  t.is(formatMap(a, entries, { top: 2, div: 10 }), '@[c]: 3\n@[d]: 4\n');
  t.is(formatMap(a, entries, { top: 10, div: 10 }), '@[a]: 1\n@[b]: 2\n@[c]: 3\n@[d]: 4\n');
});

test('count/sum/min/max sort ascending by value (signed values as signed)', (t) => {
  const c = mapInfo('@c', { kind: 'count' }, str(16));
  const entries: MapEntry[] = [
    { key: 'bash', value: int(10n) },
    { key: 'sshd', value: int(2n) },
    { key: 'cat', value: int(7n) },
    { key: 'awk', value: int(7n) },
  ];
  t.is(formatMap(c, entries), '@c[sshd]: 2\n@c[awk]: 7\n@c[cat]: 7\n@c[bash]: 10\n');
  t.is(formatMap(c, entries, { top: 1 }), '@c[bash]: 10\n');
  t.is(formatMap(c, entries, { div: 3 }), '@c[sshd]: 0\n@c[awk]: 2\n@c[cat]: 2\n@c[bash]: 3\n');
  const m = mapInfo('@m', { kind: 'min', signed: true }, i64);
  t.is(formatMap(m, [{ key: 1n, value: int(5n) }, { key: 2n, value: int(-5n) }]), '@m[2]: -5\n@m[1]: 5\n');
  const s = mapInfo('@s', { kind: 'sum', signed: true }, i64);
  t.is(formatMap(s, [{ key: 1n, value: int(-7n) }, { key: 2n, value: int(-20n) }], { div: 2 }), '@s[2]: -10\n@s[1]: -3\n');
});

test('tuple keys drop their parentheses; nested tuples keep theirs', (t) => {
  const map = mapInfo('@', { kind: 'count' }, tuple([i64, 0], [str(8), 8], [tuple([i64, 0], [i64, 8]), 16]));
  t.is(formatMap(map, [{ key: [1n, 'foo', [2n, 3n]], value: int(3n) }]), '@[1, foo, (2, 3)]: 3\n');
  const two = mapInfo('@t', { kind: 'count' }, tuple([i64, 0], [str(8), 8]));
  t.is(formatMap(two, [{ key: [1n, 'foo'], value: int(1n) }]), '@t[1, foo]: 1\n');
});

test('key quirks kept from bpftrace: a string key in parentheses loses them; bool keys', (t) => {
  t.is(formatMap(mapInfo('@', { kind: 'count' }, str(8)), [{ key: '(x)', value: int(1n) }]), '@[x]: 1\n');
  t.is(formatMap(mapInfo('@', { kind: 'count' }, bool), [{ key: true, value: int(1n) }]), '@[true]: 1\n');
});

test('plain values: integers sort by value and divide; other values sort by key', (t) => {
  const ints = mapInfo('@i', { kind: 'plain', type: i64 }, str(8));
  t.is(formatMap(ints, [{ key: 'a', value: plain(30n) }, { key: 'b', value: plain(-1n) }], { div: 10 }), '@i[b]: 0\n@i[a]: 3\n');
  const strs = mapInfo('@s', { kind: 'plain', type: str(8) }, tuple([i64, 0], [str(8), 8]));
  const entries: MapEntry[] = [
    { key: [2n, 'a'], value: plain('x') },
    { key: [1n, 'b'], value: plain('y') },
    { key: [1n, 'a'], value: plain('z') },
    { key: [-3n, 'z'], value: plain('w') },
  ];
  t.is(formatMap(strs, entries), '@s[-3, z]: w\n@s[1, a]: z\n@s[1, b]: y\n@s[2, a]: x\n');
  const tuples = mapInfo('@t', { kind: 'plain', type: tuple([i64, 0], [str(4), 8]) }, u64);
  t.is(formatMap(tuples, [{ key: 1n, value: plain([25n, 'ab']) }], { div: 10 }), '@t[1]: (2, ab)\n');
});

// --- at exit ----------------------------------------------------------------------------

test('maps at exit: two newlines, then every map in name order', (t) => {
  const maps = [
    { info: mapInfo('@b', { kind: 'count' }), entries: [{ value: int(1n) }] },
    { info: mapInfo('@', { kind: 'count' }, i64), entries: [{ key: 1n, value: int(2n) }] },
    { info: mapInfo('@empty', { kind: 'count' }), entries: [] },
    { info: mapInfo('@a', { kind: 'hist', bits: 0 }), entries: [{ value: hist(histOf([0n])) }] },
  ];
  t.is(formatMapsAtExit(maps), '\n\n@[1]: 2\n@a:\n' + row('[0]', 1, 52) + '\n\n@b: 1\n');
  t.is(formatMapsAtExit(maps, { printMaps: false }), '\n\n');
  t.is(formatMapsAtExit([]), '\n\n');
});

test('formatMap takes the div as bigint too, and div 0 means 1', (t) => {
  const c = mapInfo('@c', { kind: 'count' });
  t.is(formatMap(c, [{ value: int(100n) }], { div: 0 }), '@c: 100\n');
  t.is(formatMap(c, [{ value: int(100n) }], { div: 7n }), '@c: 14\n');
});

// Keep the helper types referenced (and the MapValueKind union covered) for the type checker.
const kinds: MapValueKind[] = [{ kind: 'count' }, { kind: 'plain', type: i64 as ValueType }];
void kinds;
