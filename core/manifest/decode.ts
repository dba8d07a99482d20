// Bytes to JS values, driven by the Manifest's layouts: event records, map keys
// and map values (with per-CPU merging). Also the one definition of the
// hist/lhist bucket functions: the compiler emits BUCKET_FUNCTIONS_C (the same
// functions in C) and the formatters read buckets back with the bounds below.
//
// All integers decode to bigint, so 64-bit values never lose precision.
import { sizeOf } from '../types/value-types.ts';
import type { MapInfo, MapValueKind, ValueType } from './types.ts';

/** A struct or record value: fields in declaration order. */
export interface RecordValue {
  kind: 'record';
  fields: [string, Value][];
}

/**
 * A decoded value. Which JS shape goes with which ValueType:
 * int, pointer -> bigint; bool -> boolean; string -> string; buffer -> Uint8Array;
 * tuple, array -> Value[]; record, struct -> RecordValue; none -> null.
 */
export type Value = bigint | boolean | string | Uint8Array | null | Value[] | RecordValue;

export interface DecodeOptions {
  /**
   * Appended to a string that fills its whole buffer without a NUL (it was
   * truncated): bpftrace's `str_trunc_trailer` config, default "..".
   */
  strTruncTrailer?: string;
}

/** Byte size of a value of this type (as laid out in events and maps): core/types' layout rule. */
export function valueTypeSize(type: ValueType): number {
  return sizeOf(type);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** ISO-8859-1: byte 0xNN becomes U+00NN (TextDecoder's "latin1" is really windows-1252). */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/**
 * Text of raw string bytes. bpftrace writes the bytes as they are; a JS string
 * cannot hold arbitrary bytes, so valid UTF-8 decodes as UTF-8 (and prints back
 * byte for byte) and anything else decodes as Latin-1 (one char per byte).
 */
export function decodeString(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return latin1(bytes);
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1(bytes);
  }
}

function bytesOf(view: DataView, offset: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + offset, length);
}

function decodeInt(view: DataView, offset: number, size: number, signed: boolean): bigint {
  switch (size) {
    case 1:
      return BigInt(signed ? view.getInt8(offset) : view.getUint8(offset));
    case 2:
      return BigInt(signed ? view.getInt16(offset, true) : view.getUint16(offset, true));
    case 4:
      return BigInt(signed ? view.getInt32(offset, true) : view.getUint32(offset, true));
    default:
      return signed ? view.getBigInt64(offset, true) : view.getBigUint64(offset, true);
  }
}

/** Decodes the value of `type` stored at `offset` (little-endian, as BPF on this host writes it). */
export function decodeValue(view: DataView, offset: number, type: ValueType, opts: DecodeOptions = {}): Value {
  switch (type.kind) {
    case 'int':
      return decodeInt(view, offset, type.size, type.signed);
    case 'bool':
      return view.getUint8(offset) !== 0;
    case 'pointer':
      return view.getBigUint64(offset, true);
    case 'string': {
      const raw = bytesOf(view, offset, type.size);
      const nul = raw.indexOf(0);
      if (nul >= 0) return decodeString(raw.subarray(0, nul));
      return decodeString(raw) + (opts.strTruncTrailer ?? '..');
    }
    case 'buffer': {
      const len = Math.min(view.getUint32(offset, true), type.size);
      return bytesOf(view, offset + 4, len).slice();
    }
    case 'tuple':
      return type.elements.map((e) => decodeValue(view, offset + e.offset, e.type, opts));
    case 'record':
    case 'struct':
      return {
        kind: 'record',
        fields: type.fields.map((f): [string, Value] => [f.name, decodeValue(view, offset + f.offset, f.type, opts)]),
      };
    case 'array': {
      const stride = type.length > 0 && type.size % type.length === 0 ? type.size / type.length : valueTypeSize(type.element);
      const out: Value[] = [];
      for (let i = 0; i < type.length; i++) out.push(decodeValue(view, offset + i * stride, type.element, opts));
      return out;
    }
    case 'none':
      return null;
  }
}

// ---------------------------------------------------------------------------
// Aggregations: per-CPU layouts and merging.

/**
 * A map value merged across CPUs.
 * - `int`: count, sum, min, max, and one hist/lhist bucket's count.
 * - `stats`: avg and stats (avg prints `average` only).
 * - `hist`: hist/lhist bucket counts indexed by bucket (see histBucket/lhistBucket).
 * - `plain`: `@x = expr` values.
 */
export type AggregateValue =
  | { kind: 'int'; value: bigint }
  | { kind: 'stats'; count: bigint; total: bigint; average: bigint }
  | { kind: 'hist'; counts: bigint[] }
  | { kind: 'tseries'; points: TseriesPoint[] }
  | { kind: 'plain'; value: Value };

/**
 * One interval of a tseries: `start` in boot-clock ns (epoch * interval);
 * `value` undefined where nothing was recorded. The session adds `wallNs`
 * (real-time ns) and `wallText` (local `%Y-%m-%dT%H:%M:%S`) before output.
 */
export interface TseriesPoint {
  start: bigint;
  value?: bigint;
  wallNs?: bigint;
  wallText?: string;
}

/**
 * Bytes of one CPU's value, as the compiler lays it out:
 * count, sum, hist, lhist: one 64-bit integer (8);
 * min, max: `{ int64/uint64 value; uint64 is_set; }` (16);
 * avg, stats: `{ int64/uint64 total; uint64 count; }` (16);
 * tseries (one slot): `{ int64/uint64 value; uint64 meta; uint64 epoch; }` (24),
 *   meta being the count (avg), is-set (min/max) or update time (none);
 * plain: the value type's size.
 */
export function aggregateValueSize(kind: MapValueKind): number {
  switch (kind.kind) {
    case 'count':
    case 'sum':
    case 'hist':
    case 'lhist':
      return 8;
    case 'min':
    case 'max':
    case 'avg':
    case 'stats':
      return 16;
    case 'tseries':
      return 24;
    case 'plain':
      return valueTypeSize(kind.type);
  }
}

/** Distance between two CPUs' values in a per-CPU lookup: the kernel rounds each up to 8 bytes. */
export function perCpuStride(valueSize: number): number {
  return Math.ceil(valueSize / 8) * 8;
}

/** Whether the kernel keeps one value per CPU for this map. */
export function isPerCpuMap(map: Pick<MapInfo, 'bpfType'>): boolean {
  return map.bpfType === 'percpu_hash' || map.bpfType === 'lru_percpu_hash' || map.bpfType === 'percpu_array';
}

function wrap(v: bigint, signed: boolean): bigint {
  return signed ? BigInt.asIntN(64, v) : BigInt.asUintN(64, v);
}

/** C's 64-bit division: truncates toward zero; a zero count gives 0 (as bpftrace). */
function average(total: bigint, count: bigint): bigint {
  return count > 0n ? total / count : 0n;
}

/**
 * Merges one map value across CPUs. `perCpu` is either one view per CPU, or
 * one view holding all CPUs' values back to back (what a per-CPU map lookup
 * returns: `perCpuStride(aggregateValueSize(kind))` bytes each). A non-per-CPU
 * map is the one-CPU case. Sums wrap at 64 bits, as in the kernel.
 */
export function mergeAggregate(kind: MapValueKind, perCpu: DataView | readonly DataView[], opts: DecodeOptions = {}): AggregateValue {
  const size = aggregateValueSize(kind);
  let cpus: { view: DataView; offset: number }[];
  if (Array.isArray(perCpu)) {
    cpus = (perCpu as readonly DataView[]).map((view) => ({ view, offset: 0 }));
  } else {
    const view = perCpu as DataView;
    const stride = perCpuStride(size);
    cpus = [];
    for (let offset = 0; offset + size <= view.byteLength; offset += stride) cpus.push({ view, offset });
    if (cpus.length === 0) throw new RangeError(`map value of ${view.byteLength} bytes is shorter than its ${size}-byte layout`);
  }
  switch (kind.kind) {
    case 'count':
    case 'hist':
    case 'lhist': {
      let sum = 0n;
      for (const c of cpus) sum += c.view.getBigUint64(c.offset, true);
      return { kind: 'int', value: wrap(sum, false) };
    }
    case 'sum': {
      let sum = 0n;
      for (const c of cpus) sum += decodeInt(c.view, c.offset, 8, kind.signed);
      return { kind: 'int', value: wrap(sum, kind.signed) };
    }
    case 'min':
    case 'max': {
      let best: bigint | undefined;
      for (const c of cpus) {
        if (c.view.getBigUint64(c.offset + 8, true) === 0n) continue;
        const v = decodeInt(c.view, c.offset, 8, kind.signed);
        if (best === undefined || (kind.kind === 'max' ? v > best : v < best)) best = v;
      }
      return { kind: 'int', value: best ?? 0n };
    }
    case 'avg':
    case 'stats': {
      let total = 0n;
      let count = 0n;
      for (const c of cpus) {
        total += decodeInt(c.view, c.offset, 8, kind.signed);
        count += c.view.getBigUint64(c.offset + 8, true);
      }
      total = wrap(total, kind.signed);
      count = wrap(count, false);
      return { kind: 'stats', total, count, average: average(total, count) };
    }
    case 'tseries': {
      const slot = mergeTseriesSlot(kind, cpus);
      return { kind: 'tseries', points: slot ? [{ start: slot.epoch * kind.interval, value: slot.value }] : [] };
    }
    case 'plain':
      return { kind: 'plain', value: decodeValue(cpus[0].view, cpus[0].offset, kind.type, opts) };
  }
}

type TseriesKind = Extract<MapValueKind, { kind: 'tseries' }>;

/**
 * One tseries slot across CPUs, as bpftrace: CPUs whose slot holds the newest
 * epoch are combined (sum/avg add up, min/max compare, `none` takes the most
 * recent update); older epochs are stale and ignored; epoch 0 is unused.
 */
function mergeTseriesSlot(kind: TseriesKind, cpus: { view: DataView; offset: number }[]): { epoch: bigint; value: bigint } | undefined {
  let epoch = 0n;
  for (const c of cpus) {
    const e = c.view.getBigUint64(c.offset + 16, true);
    if (e > epoch) epoch = e;
  }
  if (epoch === 0n) return undefined;
  let value: bigint | undefined;
  let meta = 0n;
  for (const c of cpus) {
    if (c.view.getBigUint64(c.offset + 16, true) !== epoch) continue;
    const v = decodeInt(c.view, c.offset, 8, kind.signed);
    const m = c.view.getBigUint64(c.offset + 8, true);
    if (value === undefined) {
      value = v;
      meta = m;
      continue;
    }
    switch (kind.agg) {
      case 'none':
        if (m > meta) [value, meta] = [v, m];
        break;
      case 'avg':
        value += v;
        meta += m;
        break;
      case 'sum':
        value += v;
        break;
      case 'min':
        if (v < value) value = v;
        break;
      case 'max':
        if (v > value) value = v;
        break;
    }
  }
  if (value === undefined) return undefined;
  if (kind.agg === 'avg') value = average(value, meta);
  return { epoch, value: wrap(value, kind.signed) };
}

// ---------------------------------------------------------------------------
// Histogram buckets. Keep BUCKET_FUNCTIONS_C below in step with these.

/** Number of buckets of `hist(n, bits)`: index 0 holds negatives, the last holds [2^62 .. 2^63). */
export function histBucketCount(bits: number): number {
  return (64 - bits) * (1 << bits) + 1;
}

/**
 * Bucket of `hist(value, bits)`, as bpftrace: 0 for negative values; values
 * 0 .. 2^(bits+1)-1 get one bucket each (index value+1); above that each power
 * of two [2^p, 2^(p+1)) is split into 2^bits equal buckets. The value is taken
 * as a signed 64-bit integer.
 */
export function histBucket(value: bigint, bits: number): number {
  const v = BigInt.asIntN(64, value);
  if (v < 0n) return 0;
  const n = 1 << bits;
  if (v < BigInt(2 * n)) return Number(v) + 1;
  const p = v.toString(2).length - 1; // floor(log2 v), >= bits + 1
  const sub = Number((v >> BigInt(p - bits)) & BigInt(n - 1));
  return ((p - bits + 1) << bits) + sub + 1;
}

/** Exclusive upper bound of hist bucket `index` (index >= 1). */
function histUpper(index: number, bits: number): bigint {
  const n = 1 << bits;
  if (index <= 2 * n) return BigInt(index);
  const power = (index >> bits) - 1;
  return (1n << BigInt(power)) * BigInt(n + (index & (n - 1)));
}

/** Value range of hist bucket `index`: lo inclusive, hi exclusive; lo undefined for the negatives bucket. */
export function histBucketBounds(index: number, bits: number): { lo?: bigint; hi: bigint } {
  if (index <= 0) return { hi: 0n };
  return { lo: histUpper(index - 1, bits), hi: histUpper(index, bits) };
}

/** Number of buckets of `lhist(n, min, max, step)`: below-min, the (max-min)/step steps, then [.., max] and above. */
export function lhistBucketCount(min: bigint, max: bigint, step: bigint): number {
  return Number((max - min) / step) + 2;
}

/**
 * Bucket of `lhist(value, min, max, step)`, as bpftrace: 0 below min; values
 * above max share the last bucket, 1 + (max - min) / step; otherwise
 * 1 + (value - min) / step. Signed 64-bit arithmetic.
 */
export function lhistBucket(value: bigint, min: bigint, max: bigint, step: bigint): number {
  const v = BigInt.asIntN(64, value);
  if (v < min) return 0;
  if (v > max) return Number(1n + (max - min) / step);
  return Number(1n + (v - min) / step);
}

/** Value range of lhist bucket `index`: lo inclusive, hi exclusive; lo undefined below min, hi undefined for the last bucket. */
export function lhistBucketBounds(index: number, min: bigint, max: bigint, step: bigint): { lo?: bigint; hi?: bigint } {
  if (index <= 0) return { hi: min };
  const lo = min + BigInt(index - 1) * step;
  const hi = min + BigInt(index) * step;
  return hi <= max ? { lo, hi } : { lo };
}

/**
 * The bucket functions in C for the BPF program; generated code must compute
 * exactly what histBucket/lhistBucket compute (tests compile and compare them).
 */
export const BUCKET_FUNCTIONS_C = `\
/* hist(n, k): 0 for n < 0; n + 1 for 0 <= n < 2^(k+1); else
 * ((p - k + 1) << k) + ((n >> (p - k)) & (2^k - 1)) + 1 where p = floor(log2 n). */
static inline __attribute__((always_inline)) unsigned long long
__bt_hist_bucket(long long n, unsigned int k)
{
  unsigned long long v, x;
  unsigned int p = 0;
  if (n < 0)
    return 0;
  v = (unsigned long long)n;
  if (v < (2ULL << k))
    return v + 1;
  x = v;
  if (x >= (1ULL << 32)) { x >>= 32; p += 32; }
  if (x >= (1ULL << 16)) { x >>= 16; p += 16; }
  if (x >= (1ULL << 8)) { x >>= 8; p += 8; }
  if (x >= (1ULL << 4)) { x >>= 4; p += 4; }
  if (x >= (1ULL << 2)) { x >>= 2; p += 2; }
  if (x >= (1ULL << 1)) { p += 1; }
  return ((unsigned long long)(p - k + 1) << k) + ((v >> (p - k)) & ((1ULL << k) - 1)) + 1;
}

/* lhist(n, min, max, step): 0 below min, 1 + (max - min) / step above max,
 * else 1 + (n - min) / step. The differences are >= 0 there, so unsigned
 * division gives the same result (and BPF before cpu v4 has no signed one). */
static inline __attribute__((always_inline)) unsigned long long
__bt_lhist_bucket(long long n, long long min, long long max, long long step)
{
  if (n < min)
    return 0;
  if (n > max)
    return 1 + ((unsigned long long)max - (unsigned long long)min) / (unsigned long long)step;
  return 1 + ((unsigned long long)n - (unsigned long long)min) / (unsigned long long)step;
}
`;

// ---------------------------------------------------------------------------
// Whole maps.

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
 * per user key whose `counts` has every bucket of the histogram.
 */
export function decodeMapEntries(map: MapInfo, raw: Iterable<RawMapEntry>, opts: DecodeOptions = {}): MapEntry[] {
  const kind = map.value;
  const decodeKey = (bytes: Uint8Array): Value | undefined => (map.keyType ? decodeValue(viewOf(bytes), 0, map.keyType, opts) : undefined);
  if (kind.kind === 'hist' || kind.kind === 'lhist') {
    const nbuckets = kind.kind === 'hist' ? histBucketCount(kind.bits) : lhistBucketCount(kind.min, kind.max, kind.step);
    const groups = new Map<string, { key: Uint8Array; counts: bigint[] }>();
    for (const e of raw) {
      const userLen = Math.max(0, e.key.byteLength - 8);
      const userKey = e.key.subarray(0, userLen);
      const bucket = Number(viewOf(e.key).getBigUint64(userLen, true));
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
    return [...groups.values()].map((g) => ({ key: decodeKey(g.key), value: { kind: 'hist', counts: g.counts } }));
  }
  if (kind.kind === 'tseries') return decodeTseriesEntries(kind, raw, decodeKey, opts);
  const out: MapEntry[] = [];
  for (const e of raw) out.push({ key: decodeKey(e.key), value: mergeAggregate(kind, viewOf(e.value), opts) });
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
    for (const p of merged.kind === 'tseries' ? merged.points : []) {
      const epoch = p.start / kind.interval;
      g.values.set(epoch, p.value!);
      if (epoch > last) last = epoch;
    }
  }
  const first = last - BigInt(kind.num) + 1n;
  const out: MapEntry[] = [];
  for (const g of groups.values()) {
    let from = last;
    for (const epoch of g.values.keys()) if (epoch >= first && epoch < from) from = epoch;
    const points: TseriesPoint[] = [];
    for (let epoch = from; epoch <= last; epoch++) points.push({ start: epoch * kind.interval, value: g.values.get(epoch) });
    out.push({ key: decodeKey(g.key), value: { kind: 'tseries', points } });
  }
  return out;
}
