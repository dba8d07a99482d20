// The snapshots of whole-map reads: a packed read gives a snapshot that offers
// the packed view and decodes `entries` only when asked; anything that changes
// the entries leaves a plain snapshot, so the view never prints stale entries.
import test from 'ava';
import { decodeMapEntries } from '../../../core/manifest/index.ts';
import { mapSnapshot } from '../../../core/session/maps.ts';
import { i64, u64 } from '../../helpers/output.ts';
import { bigMapInfo, objectOf, packedHistMap, packedMap, unpackedEntries } from '../../helpers/packed-maps.ts';

const info = bigMapInfo('@m', { kind: 'sum', signed: false }, u64);
const read = packedMap(info, 50);
const reads = new Map([[info.cName, read]]);

test('a packed read gives a snapshot with the view; its entries are the decoded ones', (t) => {
  const snap = mapSnapshot(objectOf(reads), info);
  t.is(snap.packed?.size, 50);
  t.deepEqual(snap.entries, decodeMapEntries(info, unpackedEntries(read)));
  t.is(snap.entries, snap.entries, 'decoded once');
  t.truthy(snap.packed, 'reading entries keeps the view');
});

test('a copy by spreading, or replaced entries, has no view', (t) => {
  const snap = mapSnapshot(objectOf(reads), info);
  const copy = { ...snap, entries: snap.entries.slice(0, 2) };
  t.is(copy.packed, undefined);
  t.is(copy.entries.length, 2);
  snap.entries = [];
  t.is(snap.packed, undefined);
  t.deepEqual(snap.entries, []);
});

test('a runtime without packed reads, hist maps and print()\'s zero entry give plain snapshots', (t) => {
  const plain = mapSnapshot(objectOf(reads, false), info);
  t.is(plain.packed, undefined);
  t.deepEqual(plain.entries, decodeMapEntries(info, unpackedEntries(read)));
  const hist = { ...bigMapInfo('@h', { kind: 'hist', bits: 0 }, u64), keySize: 16 };
  t.is(mapSnapshot(objectOf(new Map([[hist.cName, packedHistMap(hist, 5, 8)]])), hist).packed, undefined);
  const scalar = bigMapInfo('@s', { kind: 'count' });
  const empty = new Map([[scalar.cName, packedMap(scalar, 0)]]);
  const zero = mapSnapshot(objectOf(empty), scalar, true);
  t.is(zero.packed, undefined);
  t.deepEqual(zero.entries, [{ value: { kind: 'int', value: 0n } }]);
  t.is(mapSnapshot(objectOf(empty), scalar).packed?.size, 0);
  const keyed = bigMapInfo('@k', { kind: 'count' }, i64);
  t.deepEqual(mapSnapshot(objectOf(new Map([[keyed.cName, packedMap(keyed, 0)]])), keyed, true).entries, []);
});
