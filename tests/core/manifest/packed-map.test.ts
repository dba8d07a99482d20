// PackedMapView: a whole-map read decoded one entry at a time from its packed
// buffers, with the same entries, in the same order, as decodeMapEntries.
import test from 'ava';
import { decodeMapEntries, PackedMapView, hasEntryPerKey } from '../../../core/manifest/index.ts';
import { i64, mapInfo, str, u64 } from '../../helpers/output.ts';
import { bigMapInfo, CPUS, keyTypes, packedHistMap, packedMap, unpackedEntries } from '../../helpers/packed-maps.ts';

test('the view gives the entries decodeMapEntries gives, per position', (t) => {
  for (const keyType of Object.values(keyTypes)) {
    const info = bigMapInfo('@m', { kind: 'stats', signed: true }, keyType);
    const read = packedMap(info, 300);
    const view = new PackedMapView(info, read);
    const decoded = decodeMapEntries(info, unpackedEntries(read));
    t.is(view.size, 300);
    t.deepEqual(view.entries(), decoded);
    t.deepEqual(view.key(17), decoded[17]!.key);
    t.deepEqual(view.value(299), decoded[299]!.value);
    t.deepEqual(view.entry(0), decoded[0]);
  }
});

test('per-CPU counts are summed over every CPU copy', (t) => {
  const info = bigMapInfo('@c', { kind: 'count' }, u64);
  const read = { keys: new Uint8Array(8), values: new Uint8Array(8 * CPUS), count: 1, keySize: 8, valueBytes: 8 * CPUS };
  const values = new DataView(read.values.buffer);
  for (let c = 0; c < CPUS; c++) values.setBigUint64(c * 8, BigInt(c + 1), true);
  new DataView(read.keys.buffer).setBigUint64(0, 42n, true);
  const view = new PackedMapView(info, read);
  t.deepEqual(view.entry(0), { key: 42n, value: { kind: 'int', value: BigInt((CPUS * (CPUS + 1)) / 2) } });
});

test('zero counts in array slots are keys never counted: the view leaves them out', (t) => {
  const info = mapInfo('@a', { kind: 'count' }, i64, { bpfType: 'percpu_array', keySize: 8, valueSize: 8 });
  const counts = [0n, 3n, 0n, 0n, 7n];
  const read = { keys: new Uint8Array(8 * counts.length), values: new Uint8Array(8 * counts.length), count: counts.length, keySize: 8, valueBytes: 8 };
  counts.forEach((c, i) => {
    new DataView(read.keys.buffer).setBigInt64(i * 8, BigInt(i), true);
    new DataView(read.values.buffer).setBigUint64(i * 8, c, true);
  });
  const view = new PackedMapView(info, read);
  t.is(view.size, 2);
  t.deepEqual([view.key(0), view.key(1)], [1n, 4n]);
  t.deepEqual(view.entries(), decodeMapEntries(info, unpackedEntries(read)));
});

test('positions outside the view and maps that group entries per key are refused', (t) => {
  const info = bigMapInfo('@m', { kind: 'count' }, u64);
  const view = new PackedMapView(info, packedMap(info, 3));
  t.throws(() => view.entry(3), { instanceOf: RangeError });
  t.throws(() => view.value(-1), { instanceOf: RangeError });
  const hist = { ...bigMapInfo('@h', { kind: 'hist', bits: 0 }, str(16)), keySize: 24 };
  t.false(hasEntryPerKey(hist));
  t.true(hasEntryPerKey(info));
  t.throws(() => new PackedMapView(hist, packedHistMap(hist, 4, 8)), { instanceOf: RangeError, message: /hist maps group/ });
});

test('keyAsNumber and valueAsNumber give the decoded integers where a double holds them, else undefined', (t) => {
  const kinds = [{ kind: 'count' }, { kind: 'sum', signed: true }, { kind: 'sum', signed: false }, { kind: 'plain', type: u64 }] as const;
  let shortcut = 0;
  let decoded = 0;
  for (const kind of kinds) {
    for (const keyType of [u64, i64]) {
      const info = bigMapInfo('@m', kind, keyType);
      const view = new PackedMapView(info, packedMap(info, 2000));
      for (let i = 0; i < view.size; i++) {
        const key = view.key(i) as bigint;
        const value = view.value(i);
        const number = value.kind === 'int' || value.kind === 'plain' ? (value.value as bigint) : 0n;
        const safe = (n: bigint) => n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER);
        t.is(view.keyAsNumber(i), safe(key) ? Number(key) : undefined);
        t.is(view.valueAsNumber(i), safe(number) ? Number(number) : undefined);
        if (safe(key) && safe(number)) shortcut++;
        else decoded++;
      }
    }
  }
  t.true(shortcut > 0 && decoded > 0, 'both paths are taken');
  const strings = bigMapInfo('@s', { kind: 'avg', signed: true }, str(16));
  const view = new PackedMapView(strings, packedMap(strings, 3));
  t.is(view.keyAsNumber(0), undefined);
  t.is(view.valueAsNumber(0), undefined);
});
