// Whole maps as read from the kernel: keys decoded, values merged across CPUs,
// hist/lhist buckets and tseries slots grouped back into one entry per user key.
import { aggregateValueSize, isArrayMap, mergeAggregate, type AggregateValue, type TseriesKind, type TseriesPoint } from './aggregates.ts';
import { histBucketCount, lhistBucketCount } from './buckets.ts';
import { decodeValue, latin1, type DecodeOptions, type Value } from './decode-value.ts';
import { PackedMapView } from './packed-map.ts';
import type { MapInfo } from './types.ts';

/** A map entry ready to format: `key` undefined for a scalar map. */
export interface MapEntry {
  key?: Value;
  value: AggregateValue;
}

/** One key/value pair as read from the kernel (for a per-CPU map, `value` holds every CPU's value). */
export interface RawMapEntry {
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * A whole map as one read returns it, packed: key i is `keySize` bytes at
 * `keys[i * keySize]`, value i (every CPU's copy) `valueBytes` bytes at
 * `values[i * valueBytes]`. Decoding it makes no object per entry but the entry.
 */
export interface PackedMapEntries {
  keys: Uint8Array;
  values: Uint8Array;
  count: number;
  keySize: number;
  valueBytes: number;
}

function isPacked(raw: Iterable<RawMapEntry> | PackedMapEntries): raw is PackedMapEntries {
  return (raw as PackedMapEntries).valueBytes !== undefined;
}

function* unpacked(p: PackedMapEntries): Iterable<RawMapEntry> {
  for (let i = 0; i < p.count; i++) {
    yield { key: p.keys.subarray(i * p.keySize, (i + 1) * p.keySize), value: p.values.subarray(i * p.valueBytes, (i + 1) * p.valueBytes) };
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A Map key for raw bytes (one char per byte). */
function bytesId(bytes: Uint8Array): string {
  return latin1(bytes);
}

/**
 * Decodes and merges a map read from the kernel. hist/lhist maps are stored as
 * one entry per (user key, bucket): the BPF key is the user key followed by a
 * u64 bucket index (its last 8 bytes); those are grouped back into one entry
 * per user key whose `counts` has every bucket of the histogram. A keyless
 * histogram in a per-CPU array (codegen's array maps) is keyed by the bucket
 * alone (a u32 index), every bucket is there, and one with nothing counted
 * anywhere is a histogram never written.
 */
export function decodeMapEntries(map: MapInfo, source: Iterable<RawMapEntry> | PackedMapEntries, opts: DecodeOptions = {}): MapEntry[] {
  const kind = map.value;
  const raw = isPacked(source) ? unpacked(source) : source;
  const decodeKey = (bytes: Uint8Array): Value | undefined => (map.keyType ? decodeValue(viewOf(bytes), 0, map.keyType, opts) : undefined);
  if (kind.kind === 'hist' || kind.kind === 'lhist') {
    const nbuckets = kind.kind === 'hist' ? histBucketCount(kind.bits) : lhistBucketCount(kind.min, kind.max, kind.step);
    const groups = new Map<string, { key: Uint8Array; counts: bigint[] }>();
    const inArray = isArrayMap(map);
    for (const e of raw) {
      const userLen = inArray ? 0 : Math.max(0, e.key.byteLength - 8);
      const userKey = e.key.subarray(0, userLen);
      const bucket = inArray ? viewOf(e.key).getUint32(0, true) : Number(viewOf(e.key).getBigUint64(userLen, true));
      const id = bytesId(userKey);
      let g = groups.get(id);
      if (!g) {
        g = { key: userKey, counts: new Array<bigint>(nbuckets).fill(0n) };
        groups.set(id, g);
      }
      while (g.counts.length <= bucket) g.counts.push(0n);
      const merged = mergeAggregate(kind, viewOf(e.value), opts);
      g.counts[bucket] += merged.kind === 'int' ? merged.value : 0n;
    }
    const written = [...groups.values()].filter((g) => !inArray || g.counts.some((c) => c !== 0n));
    return written.map((g) => ({ key: decodeKey(g.key), value: { kind: 'hist', counts: g.counts } }));
  }
  if (kind.kind === 'tseries') return decodeTseriesEntries(kind, raw, decodeKey, opts);
  if (isPacked(source)) return new PackedMapView(map, source, opts).entries();
  // A count() in a per-CPU array slot (codegen's counter arrays): the slot always
  // exists, and a zero count is a key never counted, as in a hash without it.
  const zeroIsAbsent = kind.kind === 'count' && isArrayMap(map);
  const out: MapEntry[] = [];
  const absent = (value: AggregateValue) => zeroIsAbsent && value.kind === 'int' && value.value === 0n;
  for (const e of raw) {
    const value = mergeAggregate(kind, viewOf(e.value), opts);
    if (!absent(value)) out.push({ key: decodeKey(e.key), value });
  }
  return out;
}

/**
 * tseries maps are stored as one entry per (user key, slot) like hist; each
 * user key gets the intervals of the last `num` epochs up to the newest epoch
 * of the whole map, from its own first recorded one (as bpftrace), with gaps
 * where a slot holds nothing for an epoch.
 */
function decodeTseriesEntries(
  kind: TseriesKind,
  raw: Iterable<RawMapEntry>,
  decodeKey: (bytes: Uint8Array) => Value | undefined,
  opts: DecodeOptions,
): MapEntry[] {
  const groups = new Map<string, { key: Uint8Array; values: Map<bigint, bigint> }>();
  let last = 0n;
  for (const e of raw) {
    const userKey = e.key.subarray(0, Math.max(0, e.key.byteLength - 8));
    const id = bytesId(userKey);
    let g = groups.get(id);
    if (!g) {
      g = { key: userKey, values: new Map() };
      groups.set(id, g);
    }
    const merged = mergeAggregate(kind, viewOf(e.value), opts);
    const points = merged.kind === 'tseries' ? merged.points : [];
    // A slot no CPU filed a value in since it was made or zeroed (epoch 0) reads as 0 at epoch 0, as bpftrace's does.
    if (points.length === 0 && !g.values.has(0n)) g.values.set(0n, 0n);
    for (const p of points) {
      const epoch = p.start / kind.interval;
      g.values.set(epoch, p.value!);
      if (epoch > last) last = epoch;
    }
  }
  const first = last - BigInt(kind.num) + 1n;
  const out: MapEntry[] = [];
  for (const g of groups.values()) {
    // Nothing filed after epoch 0 (a zeroed map): no intervals at all.
    if (last === 0n) {
      out.push({ key: decodeKey(g.key), value: { kind: 'tseries', points: [] } });
      continue;
    }
    let from = last;
    for (const epoch of g.values.keys()) if (epoch >= first && epoch < from) from = epoch;
    const points: TseriesPoint[] = [];
    for (let epoch = from; epoch <= last; epoch++) points.push({ start: epoch * kind.interval, value: g.values.get(epoch) });
    out.push({ key: decodeKey(g.key), value: { kind: 'tseries', points } });
  }
  return out;
}

/**
 * What a scalar map holds before anything is stored in it, or after clear():
 * the zero of its kind (`0`, `{ .count = 0, ... }`, a record of zeros), as
 * print() shows it. Undefined for keyed maps, histograms and tseries, which
 * have no single value to show.
 */
export function emptyScalarEntry(map: MapInfo): MapEntry | undefined {
  const kind = map.value;
  if (map.keyType || kind.kind === 'hist' || kind.kind === 'lhist' || kind.kind === 'tseries') return undefined;
  return { value: mergeAggregate(kind, new DataView(new ArrayBuffer(aggregateValueSize(kind)))) };
}
