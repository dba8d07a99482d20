// Large maps as a whole-map read leaves them (two packed buffers), made by
// hand for every value kind: the packed-view and big-map output tests build
// their maps here, and a RuntimeObject that serves them to mapSnapshot.
import {
  aggregateValueSize,
  perCpuStride,
  type MapInfo,
  type MapValueKind,
  type PackedMapEntries,
  type RawMapEntry,
  type ValueType,
} from '../../core/manifest/index.ts';
import { sizeOf } from '../../core/types/index.ts';
import type { RuntimeMap, RuntimeObject } from '../../sdk/index.ts';
import { i32, i64, mapInfo, str, tuple, u64 } from './output.ts';

/** CPUs of the per-CPU maps made here. */
export const CPUS = 3;

/** A small deterministic generator, so a failing case can be rerun as it was. */
export function numbers(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Key types of the big maps: integers (some above 2^53), strings, tuples. */
export const keyTypes: Record<string, ValueType> = {
  int: u64,
  'signed int': i64,
  string: str(16),
  tuple: tuple([i32, 0], [str(12), 4]),
};

function writeKey(view: DataView, offset: number, type: ValueType, i: number, rnd: () => number): void {
  if (type.kind === 'int' && type.signed) {
    // Negative keys, and every 89th below what a double holds exactly.
    const big = i % 89 === 0 ? -(1n << 58n) : 0n;
    view.setBigInt64(offset, big + BigInt(Math.floor(rnd() * 1e6) - 500_000) * 1000n - BigInt(i), true);
  } else if (type.kind === 'int') {
    // Every 97th key beyond what a double holds exactly: the sort's bigint path.
    const big = i % 97 === 0 ? 1n << 60n : 0n;
    view.setBigUint64(offset, big + BigInt(Math.floor(rnd() * 1e6)) * 1000n + BigInt(i), true);
  } else if (type.kind === 'string') {
    const text = `k${Math.floor(rnd() * 50)}-${i}`.slice(0, type.size - 1);
    for (let c = 0; c < text.length; c++) view.setUint8(offset + c, text.charCodeAt(c));
  } else if (type.kind === 'tuple') {
    view.setInt32(offset, Math.floor(rnd() * 40) - 20, true);
    writeKey(view, offset + 4, str(12), i, rnd);
  }
}

/** One CPU's copy of a value of this kind; small ranges, so many entries tie and the key decides. */
function writeValue(view: DataView, offset: number, kind: MapValueKind, i: number, rnd: () => number): void {
  const small = () => BigInt(Math.floor(rnd() * 20));
  switch (kind.kind) {
    case 'count':
    case 'sum': {
      // Now and then a value beyond 2^53: the sort's bigint path for numbers; signed sums go below zero.
      const v = i % 211 === 0 ? (1n << 55n) + small() : small();
      if (kind.kind === 'sum' && kind.signed) view.setBigInt64(offset, i % 3 === 0 ? -v : v, true);
      else view.setBigUint64(offset, v, true);
      return;
    }
    case 'min':
    case 'max':
      view.setBigInt64(offset, small() - 10n, true);
      view.setBigUint64(offset + 8, rnd() < 0.8 ? 1n : 0n, true);
      return;
    case 'avg':
    case 'stats':
      view.setBigInt64(offset, small() * 7n - 30n, true);
      view.setBigUint64(offset + 8, small(), true);
      return;
    case 'plain':
      if (kind.type.kind === 'int') view.setBigUint64(offset, i % 101 === 0 ? (1n << 63n) + small() : small(), true);
      else if (kind.type.kind === 'string') for (let c = 0; c < 5; c++) view.setUint8(offset + c, 97 + Math.floor(rnd() * 26));
      return;
    default:
      throw new Error(`no big-map values for ${kind.kind}`);
  }
}

/**
 * A packed read of `count` entries of a map with one kernel entry per key;
 * per-CPU maps (every kind but plain) hold CPUS copies of each value.
 */
export function packedMap(info: MapInfo, count: number, seed = 1): PackedMapEntries {
  const rnd = numbers(seed);
  const perCpu = info.value.kind !== 'plain';
  const size = aggregateValueSize(info.value);
  const stride = perCpu ? perCpuStride(size) : size;
  const valueBytes = stride * (perCpu ? CPUS : 1);
  const keys = new Uint8Array(count * info.keySize);
  const values = new Uint8Array(count * valueBytes);
  const kv = new DataView(keys.buffer);
  const vv = new DataView(values.buffer);
  for (let i = 0; i < count; i++) {
    if (info.keyType) writeKey(kv, i * info.keySize, info.keyType, i, rnd);
    for (let c = 0; c < (perCpu ? CPUS : 1); c++) writeValue(vv, i * valueBytes + c * stride, info.value, i, rnd);
  }
  return { keys, values, count, keySize: info.keySize, valueBytes };
}

/** A map of this value kind and key type, as the Manifest describes it. */
export function bigMapInfo(name: string, value: MapValueKind, keyType?: ValueType): MapInfo {
  const valueSize = aggregateValueSize(value);
  return mapInfo(name, value, keyType, { bpfType: value.kind === 'plain' ? 'hash' : 'percpu_hash', keySize: keyType ? sizeOf(keyType) : 8, valueSize, maxEntries: 1 << 20 });
}

/** The same read one entry at a time, as a runtime without packed reads gives it. */
export function unpackedEntries(p: PackedMapEntries): RawMapEntry[] {
  return Array.from({ length: p.count }, (_, i) => ({
    key: p.keys.subarray(i * p.keySize, (i + 1) * p.keySize),
    value: p.values.subarray(i * p.valueBytes, (i + 1) * p.valueBytes),
  }));
}

/** A RuntimeObject whose maps (by C name) return these reads; `packed: false` leaves packedEntries out. */
export function objectOf(reads: Map<string, PackedMapEntries>, packed = true): RuntimeObject {
  const mapOf = (name: string): RuntimeMap => {
    const p = reads.get(name);
    if (!p) throw new Error(`no map ${name}`);
    const m = { entries: () => unpackedEntries(p) } as Partial<RuntimeMap>;
    if (packed) m.packedEntries = () => ({ ...p });
    return m as RuntimeMap;
  };
  return { map: mapOf } as unknown as RuntimeObject;
}

/**
 * A packed read of a hist/lhist map: `users` user keys of the map's key type,
 * each with a few buckets (the kernel key is the user key, then the bucket
 * index as a u64), CPUS copies of each count.
 */
export function packedHistMap(info: MapInfo, users: number, buckets: number, seed = 1): PackedMapEntries {
  const rnd = numbers(seed);
  const userSize = info.keySize - 8;
  const rows: { user: number; bucket: number }[] = [];
  for (let u = 0; u < users; u++) {
    const used = new Set<number>();
    for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) used.add(Math.floor(rnd() * buckets));
    for (const bucket of used) rows.push({ user: u, bucket });
  }
  const valueBytes = 8 * CPUS;
  const keys = new Uint8Array(rows.length * info.keySize);
  const values = new Uint8Array(rows.length * valueBytes);
  const kv = new DataView(keys.buffer);
  const vv = new DataView(values.buffer);
  const userKeys = new Uint8Array(users * userSize);
  const uv = new DataView(userKeys.buffer);
  for (let u = 0; u < users; u++) if (info.keyType) writeKey(uv, u * userSize, info.keyType, u, rnd);
  rows.forEach((r, i) => {
    keys.set(userKeys.subarray(r.user * userSize, (r.user + 1) * userSize), i * info.keySize);
    kv.setBigUint64(i * info.keySize + userSize, BigInt(r.bucket), true);
    for (let c = 0; c < CPUS; c++) vv.setBigUint64(i * valueBytes + c * 8, BigInt(Math.floor(rnd() * 9)), true);
  });
  return { keys, values, count: rows.length, keySize: info.keySize, valueBytes };
}
