// Reading the script's maps out of the loaded object: snapshots decoded and
// merged across CPUs, every map at once (SIGUSR1), and the drop counter.
import type { MapSnapshot, OutputFormat, OutputWriter, RuntimeObject } from '../../sdk/index.ts';
import { decodeMapEntries, emptyScalarEntry, type DecodeOptions, type Manifest, type MapInfo } from '../manifest/index.ts';

/**
 * A script map's entries, decoded and merged across CPUs (values not rendered
 * yet). With `zeroWhenEmpty` (print()), an empty scalar map shows its zero
 * value, as bpftrace's print does; the maps printed at exit leave it out.
 */
export function mapSnapshot(obj: RuntimeObject, info: MapInfo, zeroWhenEmpty = false, decode: DecodeOptions = {}): MapSnapshot {
  const map = obj.map(info.cName);
  const entries = decodeMapEntries(info, map.packedEntries ? map.packedEntries() : map.entries(), decode);
  const zero = zeroWhenEmpty && entries.length === 0 ? emptyScalarEntry(info) : undefined;
  return { info, entries: zero ? [zero] : entries };
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
