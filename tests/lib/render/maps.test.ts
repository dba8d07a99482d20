// The print order of map entries: by number (value, average, total count),
// then by key; integers that doubles hold exactly are compared as doubles,
// larger ones as bigints, with the same order.
import test from 'ava';
import type { MapEntry } from '../../../core/manifest/index.ts';
import { printOrder, printedPositions, sortMapEntries } from '../../../lib/render/maps.ts';
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

test('printOrder asks each position for its value and key once and gives the positions in print order', (t) => {
  const entries = [entry(5n, 2n), entry(3n, 1n), entry(9n, 1n), entry(1n, 2n), entry(7n, 0n)];
  const asked = { value: 0, key: 0 };
  const order = printOrder(plain.value, entries.length, (i) => (asked.value++, entries[i]!.value), (i) => (asked.key++, entries[i]!.key!));
  t.deepEqual(order, [4, 1, 2, 3, 0]);
  // The first value once more, to learn whether the kind sorts by number.
  t.deepEqual(asked, { value: entries.length + 1, key: entries.length });
});

test('printOrder sorts values that are not numbers by key, ties keep their order', (t) => {
  const strings = mapInfo('@t', { kind: 'plain', type: { kind: 'string', size: 8 } }, { kind: 'string', size: 8 });
  const keys = ['b', 'a', 'c', 'a'];
  t.deepEqual(printOrder(strings.value, keys.length, () => ({ kind: 'plain', value: 'x' }), (i) => keys[i]!), [1, 3, 0, 2]);
  t.deepEqual(printOrder(strings.value, 0, () => ({ kind: 'plain', value: 'x' }), () => null), []);
});

test('printedPositions keeps the last top positions and gives the divisor', (t) => {
  const entries = [entry(5n, 2n), entry(3n, 1n), entry(9n, 1n), entry(1n, 2n), entry(7n, 0n)];
  const view = { size: entries.length, key: (i: number) => entries[i]!.key, value: (i: number) => entries[i]!.value, entry: (i: number) => entries[i]! };
  t.deepEqual(printedPositions(plain, view, { top: 2, div: 0 }), { positions: [3, 0], div: 1n });
  t.deepEqual(printedPositions(plain, view, { top: 9, div: 4 }), { positions: [4, 1, 2, 3, 0], div: 4n });
  t.deepEqual(sortMapEntries(plain, entries), printedPositions(plain, view, {}).positions.map((i) => entries[i]));
});
