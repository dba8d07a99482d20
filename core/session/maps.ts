// Reading the script's maps out of the loaded object: snapshots decoded and
// merged across CPUs, every map at once (SIGUSR1), and the drop counter.
import type { MapSnapshot, OutputFormat, OutputWriter, RuntimeObject } from '../../sdk/index.ts';
import { decodeMapEntries, type Manifest, type MapInfo } from '../manifest/index.ts';

/** A script map's entries, decoded and merged across CPUs (values not rendered yet). */
export function mapSnapshot(obj: RuntimeObject, info: MapInfo): MapSnapshot {
  return { info, entries: decodeMapEntries(info, obj.map(info.cName).entries()) };
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
