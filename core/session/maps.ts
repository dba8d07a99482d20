// Reading the script's maps out of the loaded object: snapshots decoded and
// merged across CPUs, every map at once (SIGUSR1), and the drop counter.
import type { MapSnapshot, OutputFormat, OutputWriter, RuntimeObject } from '../../sdk/index.ts';
import {
  decodeMapEntries, emptyScalarEntry, hasEntryPerKey, PackedMapView, type DecodeOptions, type Manifest, type MapEntry, type MapInfo,
} from '../manifest/index.ts';

/**
 * A script map's entries, decoded and merged across CPUs (values not rendered
 * yet). With `zeroWhenEmpty` (print()), an empty scalar map shows its zero
 * value, as bpftrace's print does; the maps printed at exit leave it out.
 */
export function mapSnapshot(obj: RuntimeObject, info: MapInfo, zeroWhenEmpty = false, decode: DecodeOptions = {}): MapSnapshot {
  const map = obj.map(info.cName);
  const packed = map.packedEntries?.();
  if (packed && hasEntryPerKey(info)) {
    const view = new PackedMapView(info, packed, decode);
    if (view.size > 0 || !zeroWhenEmpty) return packedSnapshot(info, view);
  }
  const entries = decodeMapEntries(info, packed ?? map.entries(), decode);
  const zero = zeroWhenEmpty && entries.length === 0 ? emptyScalarEntry(info) : undefined;
  return { info, entries: zero ? [zero] : entries };
}

/**
 * A snapshot over a packed read: formats that know `packed` print from it;
 * `entries` is decoded on first use for the others. The view goes away when
 * `entries` is replaced, and is not enumerable, so a copy made by spreading
 * (`{ ...snap, entries }`) is a plain snapshot: changed entries never print
 * the view's.
 */
export function packedSnapshot(info: MapInfo, view: PackedMapView): MapSnapshot {
  let entries: MapEntry[] | undefined;
  let replaced = false;
  const snap = { info } as MapSnapshot;
  Object.defineProperty(snap, 'entries', {
    enumerable: true,
    get: () => (entries ??= view.entries()),
    set: (e: MapEntry[]) => {
      entries = e;
      replaced = true;
    },
  });
  Object.defineProperty(snap, 'packed', { enumerable: false, get: () => (replaced ? undefined : view) });
  return snap;
}

/** SIGUSR1: every map, sorted by name, as bpftrace prints them. */
export function printEveryMap(manifest: Manifest, output: OutputFormat, w: OutputWriter, snapshot: (info: MapInfo) => MapSnapshot): void {
  for (const m of [...manifest.maps].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) output.printMap(snapshot(m), { top: 0, div: 0 }, w);
}

/** Events the BPF side dropped because the ring buffer was full. */
export function lostEvents(obj: RuntimeObject, manifest: Manifest): bigint {
  const v = obj.map(manifest.dropCounter).lookup(Buffer.alloc(4));
  return v ? new DataView(v.buffer, v.byteOffset, v.byteLength).getBigUint64(0, true) : 0n;
}
