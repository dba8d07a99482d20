// Large maps print the same from the packed view (MapSnapshot.packed, the fast
// path of maps at exit and print()) as from decoded entries: every value kind,
// integer (some beyond 2^53), string and tuple keys, text and json, with top and
// div, over more entries than one written chunk.
import test from 'ava';
import { decodeMapEntries, type MapInfo, type MapValueKind, type PackedMapEntries } from '../../../core/manifest/index.ts';
import { mapSnapshot } from '../../../core/session/maps.ts';
import type { MapSnapshot, OutputFormat } from '../../../sdk/index.ts';
import { JsonOutputFormat } from '../../../plugins/output/json/index.ts';
import { TextOutputFormat } from '../../../plugins/output/text/index.ts';
import { capture, i64, str, u64 } from '../../helpers/output.ts';
import { bigMapInfo, keyTypes, objectOf, packedHistMap, packedMap, unpackedEntries } from '../../helpers/packed-maps.ts';

const ENTRIES = 5000;

const kinds: Record<string, MapValueKind> = {
  count: { kind: 'count' },
  sum: { kind: 'sum', signed: false },
  'signed sum': { kind: 'sum', signed: true },
  min: { kind: 'min', signed: true },
  max: { kind: 'max', signed: true },
  avg: { kind: 'avg', signed: true },
  stats: { kind: 'stats', signed: true },
  'int value': { kind: 'plain', type: u64 },
  'string value': { kind: 'plain', type: str(8) },
};

const formats: Record<string, () => OutputFormat> = { text: () => new TextOutputFormat(), json: () => new JsonOutputFormat() };

/** What a format prints at exit and for print(@m, top, div) from this snapshot. */
function printed(format: OutputFormat, snap: () => MapSnapshot): string[] {
  const exit = capture();
  format.mapsAtExit([snap()], exit);
  const out = [exit.stdout];
  for (const opts of [{ top: 0, div: 0 }, { top: 25, div: 3 }, { top: ENTRIES * 2, div: 1 }]) {
    const w = capture();
    format.printMap(snap(), opts, w);
    out.push(w.stdout);
  }
  return out;
}

/** The decoded path: entries decoded one key/value pair at a time, no view. */
function decodedSnapshot(info: MapInfo, read: PackedMapEntries): MapSnapshot {
  return { info, entries: decodeMapEntries(info, unpackedEntries(read)) };
}

for (const [formatName, makeFormat] of Object.entries(formats)) {
  for (const [kindName, kind] of Object.entries(kinds)) {
    for (const [keyName, keyType] of Object.entries(keyTypes)) {
      test(`${formatName}: a ${ENTRIES}-key ${kindName} map with ${keyName} keys prints the same from the packed view`, (t) => {
        const info = bigMapInfo('@big', kind, keyType);
        const read = packedMap(info, ENTRIES, ENTRIES + kindName.length);
        const snap = () => mapSnapshot(objectOf(new Map([[info.cName, read]])), info);
        t.truthy(snap().packed, 'the snapshot offers the packed view');
        const fast = printed(makeFormat(), snap);
        t.deepEqual(fast, printed(makeFormat(), () => decodedSnapshot(info, read)));
        t.true(fast[0]!.length > ENTRIES * 8);
      });
    }
  }
  for (const [name, kind] of [['hist', { kind: 'hist', bits: 0 }], ['lhist', { kind: 'lhist', min: 0n, max: 100n, step: 10n }]] as const) {
    test(`${formatName}: a ${name} map of 3000 string keys prints the same through the snapshot as decoded`, (t) => {
      const keyType = str(16);
      const info = { ...bigMapInfo('@h', kind, keyType), keySize: 16 + 8 };
      const read = packedHistMap(info, 3000, name === 'hist' ? 30 : 12);
      const snap = () => mapSnapshot(objectOf(new Map([[info.cName, read]])), info);
      const fast = printed(makeFormat(), snap);
      t.deepEqual(fast, printed(makeFormat(), () => decodedSnapshot(info, read)));
      t.true(fast[0]!.length > 3000 * 20);
    });
  }
  test(`${formatName}: scalar maps and empty maps print the same from the packed view`, (t) => {
    const scalar = bigMapInfo('@s', { kind: 'stats', signed: true });
    const empty = bigMapInfo('@e', { kind: 'count' }, i64);
    const reads = new Map([[scalar.cName, packedMap(scalar, 1)], [empty.cName, packedMap(empty, 0)]]);
    for (const info of [scalar, empty]) {
      const snap = () => mapSnapshot(objectOf(reads), info);
      t.truthy(snap().packed);
      t.deepEqual(printed(makeFormat(), snap), printed(makeFormat(), () => decodedSnapshot(info, reads.get(info.cName)!)));
    }
  });
}

test('maps at exit print in name order, packed and decoded maps alike', (t) => {
  const a = bigMapInfo('@a', { kind: 'count' }, u64);
  const b = bigMapInfo('@b', { kind: 'sum', signed: true }, str(16));
  const reads = new Map([[a.cName, packedMap(a, 5000)], [b.cName, packedMap(b, 5000)]]);
  for (const makeFormat of Object.values(formats)) {
    const fast = capture();
    makeFormat().mapsAtExit([mapSnapshot(objectOf(reads), b), decodedSnapshot(a, reads.get(a.cName)!)], fast);
    const slow = capture();
    makeFormat().mapsAtExit([decodedSnapshot(b, reads.get(b.cName)!), decodedSnapshot(a, reads.get(a.cName)!)], slow);
    t.is(fast.stdout, slow.stdout);
    t.true(fast.stdout.indexOf('@a') < fast.stdout.indexOf('@b'));
  }
});
