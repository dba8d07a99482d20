// The one mapping of script maps to metric families both exporters share:
// metric kinds by aggregation, label names and values from keys, histogram
// bounds, HELP texts from the script's comments.
import test from 'ava';
import type { MapInfo, ValueType } from '../../../core/manifest/index.ts';
import type { MapSnapshot } from '../../../sdk/index.ts';
import { familyKind, helpComments, keyLabels, mapFamily, mapHelp, metricName } from '../../../plugins/export/index.ts';

const u64 = { kind: 'int', size: 8, signed: false } as const;
const str16 = { kind: 'string', size: 16 } as const;

function info(name: string, value: MapInfo['value'], keyType?: MapInfo['keyType']): MapInfo {
  return { name, cName: `map_${name.slice(1)}`, bpfType: 'hash', keyType, keySize: 8, value, valueSize: 8, maxEntries: 1024 };
}

const snap = (i: MapInfo, entries: MapSnapshot['entries']): MapSnapshot => ({ info: i, entries });

test('metric names: the prefix, the map name without @, the anonymous map', (t) => {
  t.is(metricName('@syscalls'), 'bpfscript_syscalls');
  t.is(metricName('@'), 'bpfscript_anonymous');
});

test('each aggregation becomes the metric type its values behave as', (t) => {
  t.is(familyKind({ kind: 'count' }), 'counter');
  t.is(familyKind({ kind: 'sum', signed: false }), 'counter');
  t.is(familyKind({ kind: 'sum', signed: true }), 'gauge');
  t.is(familyKind({ kind: 'min', signed: true }), 'gauge');
  t.is(familyKind({ kind: 'max', signed: false }), 'gauge');
  t.is(familyKind({ kind: 'avg', signed: true }), 'summary');
  t.is(familyKind({ kind: 'stats', signed: true }), 'summary');
  t.is(familyKind({ kind: 'hist', bits: 0 }), 'histogram');
  t.is(familyKind({ kind: 'lhist', min: 0n, max: 100n, step: 10n }), 'histogram');
  t.is(familyKind({ kind: 'plain', type: u64 }), 'gauge');
  t.is(familyKind({ kind: 'plain', type: { kind: 'bool' } }), 'gauge');
  // Values no metric type holds are left out.
  t.is(familyKind({ kind: 'plain', type: str16 }), undefined);
  t.is(familyKind({ kind: 'tseries', interval: 1n, num: 5, agg: 'sum', signed: false }), undefined);
});

test('keys become labels: key0 for a scalar key, key0..n for a tuple, field names for a record', (t) => {
  t.deepEqual(keyLabels('bash', str16), { key0: 'bash' });
  t.deepEqual(keyLabels(42n, u64), { key0: '42' });
  const tuple: ValueType = { kind: 'tuple', size: 24, elements: [{ type: u64, offset: 0 }, { type: str16, offset: 8 }] };
  t.deepEqual(keyLabels([7n, 'sh'], tuple), { key0: '7', key1: 'sh' });
  const record: ValueType = { kind: 'record', size: 24, fields: [{ name: 'pid', type: u64, offset: 0 }, { name: 'le', type: str16, offset: 8 }] };
  // `le` is the histogram's own label: the key's field is renamed.
  t.deepEqual(keyLabels({ kind: 'record', fields: [['pid', 1n], ['le', 'x']] }, record), { pid: '1', key_le: 'x' });
  t.deepEqual(keyLabels(undefined, undefined), {});
});

test('count maps are counters with one point per key', (t) => {
  const f = mapFamily(snap(info('@calls', { kind: 'count' }, str16), [
    { key: 'bash', value: { kind: 'int', value: 12n } },
    { key: 'sh', value: { kind: 'int', value: 3n } },
  ]), 'help');
  t.deepEqual(f, {
    kind: 'counter',
    name: 'bpfscript_calls',
    help: 'help',
    points: [
      { labels: { key0: 'bash' }, value: 12 },
      { labels: { key0: 'sh' }, value: 3 },
    ],
  });
});

test('avg and stats become sum and count pairs', (t) => {
  const f = mapFamily(snap(info('@lat', { kind: 'stats', signed: true }), [{ value: { kind: 'stats', count: 4n, total: 100n, average: 25n } }]), 'h');
  t.deepEqual(f, { kind: 'summary', name: 'bpfscript_lat', help: 'h', points: [{ labels: {}, sum: 100, count: 4 }] });
});

test('hist: one set of inclusive bounds for every key, from the first to the last non-empty bucket', (t) => {
  // hist() buckets: 0 negatives, 1 [0,1), 2 [1,2), 3 [2,4), 4 [4,8), 5 [8,16).
  const counts = (...c: bigint[]) => ({ kind: 'hist' as const, counts: c });
  const f = mapFamily(snap(info('@size', { kind: 'hist', bits: 0 }, str16), [
    { key: 'a', value: counts(0n, 0n, 0n, 2n, 0n, 1n, 0n) },
    { key: 'b', value: counts(0n, 0n, 0n, 0n, 5n, 0n, 0n) },
  ]), 'h');
  t.deepEqual(f, {
    kind: 'histogram',
    name: 'bpfscript_size',
    help: 'h',
    points: [
      { labels: { key0: 'a' }, bounds: [3, 7, 15], counts: [2, 0, 1, 0], count: 3 },
      { labels: { key0: 'b' }, bounds: [3, 7, 15], counts: [0, 5, 0, 0], count: 5 },
    ],
  });
});

test('lhist: the below-min bucket ends at min - 1; the overflow bucket counts above the last bound', (t) => {
  // lhist(v, 0, 20, 10): 0 below 0, 1 [0,10), 2 [10,20), 3 above 20.
  const f = mapFamily(snap(info('@l', { kind: 'lhist', min: 0n, max: 20n, step: 10n }), [{ value: { kind: 'hist', counts: [1n, 2n, 3n, 4n] } }]), 'h');
  t.deepEqual(f?.kind === 'histogram' ? f.points : undefined, [{ labels: {}, bounds: [-1, 9, 19], counts: [1, 2, 3, 4], count: 10 }]);
});

test('a map of strings has no family', (t) => {
  t.is(mapFamily(snap(info('@s', { kind: 'plain', type: str16 }), [{ value: { kind: 'plain', value: 'x' } }]), 'h'), undefined);
});

test('HELP texts come from `// @map: text` comments; other maps name their aggregation', (t) => {
  const comments = helpComments([
    '// @calls: system calls by process\n  //@: the anonymous one  \n// @calls: a second comment is ignored\n// not a help comment\n',
    '/* @x: block comments are not help */ // @lat: latency of reads',
  ]);
  t.deepEqual([...comments], [
    ['@calls', 'system calls by process'],
    ['@', 'the anonymous one'],
  ]);
  t.is(mapHelp(info('@calls', { kind: 'count' }), comments), 'system calls by process');
  t.is(mapHelp(info('@other', { kind: 'count' }, str16), comments), 'bpfscript map @other: count() per key');
  t.is(mapHelp(info('@v', { kind: 'plain', type: u64 }), comments), 'bpfscript map @v: value');
});
