// The print order of map entries: by number (value, average, total count),
// then by key; integers that doubles hold exactly are compared as doubles,
// larger ones as bigints, with the same order.
import test from 'ava';
import type { MapEntry } from '../../../core/manifest/index.ts';
import { sortMapEntries } from '../../../lib/render/maps.ts';
import { mapInfo, u64 } from '../../helpers/output.ts';

const plain = mapInfo('@m', { kind: 'plain', type: u64 }, u64, { bpfType: 'hash' });
const entry = (key: bigint, value: bigint): MapEntry => ({ key, value: { kind: 'plain', value } });
const keysOf = (entries: MapEntry[]) => entries.map((e) => e.key);

test('entries sort by value, then by key', (t) => {
  const entries = [entry(5n, 2n), entry(3n, 1n), entry(9n, 1n), entry(1n, 2n), entry(7n, 0n)];
  t.deepEqual(keysOf(sortMapEntries(plain, entries)), [7n, 3n, 9n, 1n, 5n]);
});

test('keys and values beyond what a double holds exactly keep the same order', (t) => {
  const big = 1n << 60n;
  // Adjacent huge keys differ by 1: a double would make them equal.
  const entries = [entry(big + 1n, 4n), entry(big, 4n), entry(2n, big + 1n), entry(3n, big), entry(1n, 4n)];
  t.deepEqual(keysOf(sortMapEntries(plain, entries)), [1n, big, big + 1n, 3n, 2n]);
  // The same with small numbers goes through the double comparison: same order.
  const small = [entry(11n, 4n), entry(10n, 4n), entry(2n, 8n), entry(3n, 7n), entry(1n, 4n)];
  t.deepEqual(keysOf(sortMapEntries(plain, small)), [1n, 10n, 11n, 3n, 2n]);
});

test('negative values and string keys', (t) => {
  const signed = mapInfo('@s', { kind: 'sum', signed: true }, { kind: 'string', size: 8 });
  const entries: MapEntry[] = [
    { key: 'b', value: { kind: 'int', value: -1n } },
    { key: 'a', value: { kind: 'int', value: 3n } },
    { key: 'c', value: { kind: 'int', value: -1n } },
    { key: 'a2', value: { kind: 'int', value: -5n } },
  ];
  t.deepEqual(keysOf(sortMapEntries(signed, entries)), ['a2', 'b', 'c', 'a']);
});
