// tseries(): per-CPU slot merging and decoding (core/manifest/aggregates.ts, decode-map.ts) and
// the text and JSON drawings, against upstream's tests/runtime/outputs.
import test from 'ava';
import { decodeMapEntries, mergeAggregate, type MapValueKind, type TseriesPoint } from '../../../../core/manifest/index.ts';
import { formatMap, formatTseries } from '../../../../plugins/output/text/index.ts';
import { formatJsonMap } from '../../../../plugins/output/json/map.ts';
import { mapInfo, u64 } from '../../../helpers/output.ts';

const MS = 1_000_000n;
const kind = (agg: 'none' | 'avg' | 'max' | 'min' | 'sum', signed = true, num = 5): MapValueKind => ({ kind: 'tseries', interval: 100n * MS, num, agg, signed });

/** Per-CPU slot bytes: `{ value, meta, epoch }` each 24 bytes. */
function slots(...cpus: [value: bigint, meta: bigint, epoch: bigint][]): Uint8Array {
  const b = new DataView(new ArrayBuffer(24 * cpus.length));
  cpus.forEach(([v, m, e], i) => {
    b.setBigInt64(i * 24, v, true);
    b.setBigUint64(i * 24 + 8, m, true);
    b.setBigUint64(i * 24 + 16, e, true);
  });
  return new Uint8Array(b.buffer);
}

function key(user: bigint, slot: bigint): Uint8Array {
  const b = new DataView(new ArrayBuffer(16));
  b.setBigUint64(0, user, true);
  b.setBigUint64(8, slot, true);
  return new Uint8Array(b.buffer);
}

const view = (u: Uint8Array) => new DataView(u.buffer, u.byteOffset, u.byteLength);

test('a slot merges only the CPUs holding its newest epoch', (t) => {
  const bytes = slots([5n, 1n, 7n], [100n, 1n, 2n], [3n, 1n, 7n], [0n, 0n, 0n]);
  t.deepEqual(mergeAggregate(kind('sum'), view(bytes)), { kind: 'tseries', points: [{ start: 700n * MS, value: 8n }] });
  t.deepEqual(mergeAggregate(kind('min'), view(bytes)), { kind: 'tseries', points: [{ start: 700n * MS, value: 3n }] });
  t.deepEqual(mergeAggregate(kind('max'), view(bytes)), { kind: 'tseries', points: [{ start: 700n * MS, value: 5n }] });
  // avg: totals and counts add up across CPUs.
  t.deepEqual(mergeAggregate(kind('avg'), view(slots([10n, 2n, 7n], [20n, 3n, 7n]))), { kind: 'tseries', points: [{ start: 700n * MS, value: 6n }] });
  // none: the most recent update (meta holds its time) wins.
  t.deepEqual(mergeAggregate(kind('none'), view(slots([1n, 50n, 7n], [2n, 90n, 7n], [3n, 60n, 7n]))), { kind: 'tseries', points: [{ start: 700n * MS, value: 2n }] });
  // Never used: no point.
  t.deepEqual(mergeAggregate(kind('sum'), view(slots([0n, 0n, 0n]))), { kind: 'tseries', points: [] });
});

test('a map decodes to the last num intervals up to its newest epoch, gaps undefined', (t) => {
  const k = kind('sum', true, 4);
  const info = mapInfo('@t', k, u64, { keySize: 16, valueSize: 24 });
  const entries = decodeMapEntries(info, [
    { key: key(1n, 10n % 4n), value: slots([4n, 1n, 10n]) },
    { key: key(1n, 12n % 4n), value: slots([6n, 1n, 12n]) },
    { key: key(1n, 7n % 4n), value: slots([9n, 1n, 7n]) }, // older than the window
    { key: key(2n, 13n % 4n), value: slots([-1n, 1n, 13n]) },
  ]);
  t.deepEqual(entries, [
    { key: 1n, value: { kind: 'tseries', points: [10n, 11n, 12n, 13n].map((e, i) => ({ start: e * 100n * MS, value: [4n, undefined, 6n, undefined][i] })) } },
    { key: 2n, value: { kind: 'tseries', points: [{ start: 1300n * MS, value: -1n }] } },
  ]);
});

/** Points at 00:00:00.100, .200, ... (UTC: no session adds wall times here). */
const points = (values: (bigint | undefined)[]): TseriesPoint[] => values.map((value, i) => ({ start: BigInt(i + 1) * 100n * MS, value }));

test('the zigzag drawing matches upstream tseries_zigzag.txt', (t) => {
  const values = [-5n, -4n, -3n, -2n, -1n, 0n, 1n, 2n, 3n, 4n, 5n, 4n, 3n, 2n, 1n, 0n, -1n, -2n, -3n, -4n];
  const info = mapInfo('@', { kind: 'tseries', interval: 100n * MS, num: 20, agg: 'none', signed: true });
  const out = formatMap(info, [{ value: { kind: 'tseries', points: points(values) } }]);
  const expected = [
    '@:',
    '             -5                                                  5',
    'hh:mm:ss.ms  |___________________________________________________|',
    '00:00:00.100 *                         .                         | -5',
    '00:00:00.200 |    *                    .                         | -4',
    '00:00:00.300 |         *               .                         | -3',
    '00:00:00.400 |              *          .                         | -2',
    '00:00:00.500 |                   *     .                         | -1',
    '00:00:00.600 |                         *                         | 0',
    '00:00:00.700 |                         .    *                    | 1',
    '00:00:00.800 |                         .         *               | 2',
    '00:00:00.900 |                         .              *          | 3',
    '00:00:01.000 |                         .                   *     | 4',
    '00:00:01.100 |                         .                         * 5',
    '00:00:01.200 |                         .                   *     | 4',
    '00:00:01.300 |                         .              *          | 3',
    '00:00:01.400 |                         .         *               | 2',
    '00:00:01.500 |                         .    *                    | 1',
    '00:00:01.600 |                         *                         | 0',
    '00:00:01.700 |                   *     .                         | -1',
    '00:00:01.800 |              *          .                         | -2',
    '00:00:01.900 |         *               .                         | -3',
    '00:00:02.000 |    *                    .                         | -4',
    '             v___________________________________________________v',
    '             -5                                                  5',
    '',
    '',
  ].join('\n');
  t.is(out, expected);
});

test('a flat series widens its axis by one each way (as upstream tseries.txt: 9 between 8 and 10)', (t) => {
  const out = formatTseries(points([4n, 4n, 4n, 4n, 4n]), 100n * MS, false);
  t.is(out.split('\n')[0], '             3                                                   5');
  t.is(out.split('\n')[2], '00:00:00.100 |                         *                         | 4');
  // An unsigned 0 cannot go lower.
  t.regex(formatTseries(points([0n]), 100n * MS, false), /^ {13}0 {51}1\n/);
});

test('missing intervals print "-", seconds intervals have no fraction', (t) => {
  const out = formatTseries([{ start: 1_000_000_000n, value: 2n }, { start: 2_000_000_000n }], 1_000_000_000n, true);
  t.is(out, [
    '         1                                                   3',
    'hh:mm:ss |___________________________________________________|',
    '00:00:01 |                         *                         | 2',
    '00:00:02 |                                                   | -',
    '         v___________________________________________________v',
    '         1                                                   3',
    '',
  ].join('\n'));
});

test('JSON: a tseries message, one object per interval, null for gaps', (t) => {
  const info = mapInfo('@a', kind('sum'));
  const out = formatJsonMap(info, [{ value: { kind: 'tseries', points: points([9n, undefined]) } }]);
  t.is(out, '{"type": "tseries", "data": {"@a": [{"interval_start": "1970-01-01T00:00:00.100000000", "value": 9},' +
    '{"interval_start": "1970-01-01T00:00:00.200000000", "value": null}]}}\n');
});

test('keyed maps print least recently updated first', (t) => {
  const info = mapInfo('@k', kind('sum'), u64);
  const out = formatMap(info, [
    { key: 1n, value: { kind: 'tseries', points: points([1n, 2n]) } },
    { key: 2n, value: { kind: 'tseries', points: points([1n, undefined]) } },
  ]);
  t.true(out.indexOf('@k[2]:') < out.indexOf('@k[1]:'));
});
