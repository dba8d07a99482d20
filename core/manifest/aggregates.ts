// Aggregations: the per-CPU layouts of map values (count, sum, min, max, avg,
// stats, hist/lhist buckets, tseries slots) and their merging across CPUs.
import { decodeInt, decodeValue, valueTypeSize, type DecodeOptions, type Value } from './decode-value.ts';
import type { MapInfo, MapValueKind } from './types.ts';

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
 * `value` undefined where nothing was recorded. Output formats show the
 * start as wall-clock time (lib/render/tseries.ts).
 */
export interface TseriesPoint {
  start: bigint;
  value?: bigint;
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

/** Whether the map is an array (codegen's array maps: a keyless count, or a keyless histogram's buckets), whose every slot exists. */
export function isArrayMap(map: Pick<MapInfo, 'bpfType'>): boolean {
  return map.bpfType === 'percpu_array' || map.bpfType === 'array';
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
  if (!Array.isArray(perCpu)) return mergeAggregateAt(kind, perCpu as DataView, 0, (perCpu as DataView).byteLength, opts);
  return mergeCpus(kind, (perCpu as readonly DataView[]).map((view) => ({ view, offset: 0 })), opts);
}

/**
 * mergeAggregate of the value of `bytes` bytes at `offset` in `view` (all CPUs'
 * values back to back): what whole-map reads call once per entry of a packed
 * read, with no view or array made per entry for the common kinds.
 */
export function mergeAggregateAt(kind: MapValueKind, view: DataView, offset: number, bytes: number, opts: DecodeOptions = {}): AggregateValue {
  const size = aggregateValueSize(kind);
  const stride = perCpuStride(size);
  if (bytes < size) throw new RangeError(`map value of ${bytes} bytes is shorter than its ${size}-byte layout`);
  const end = offset + bytes;
  switch (kind.kind) {
    case 'count':
    case 'hist':
    case 'lhist': {
      let sum = 0n;
      for (let o = offset; o + size <= end; o += stride) sum += view.getBigUint64(o, true);
      return { kind: 'int', value: wrap(sum, false) };
    }
    case 'sum': {
      let sum = 0n;
      for (let o = offset; o + size <= end; o += stride) sum += decodeInt(view, o, 8, kind.signed);
      return { kind: 'int', value: wrap(sum, kind.signed) };
    }
    case 'plain':
      return { kind: 'plain', value: decodeValue(view, offset, kind.type, opts) };
    default: {
      const cpus: { view: DataView; offset: number }[] = [];
      for (let o = offset; o + size <= end; o += stride) cpus.push({ view, offset: o });
      return mergeCpus(kind, cpus, opts);
    }
  }
}

function mergeCpus(kind: MapValueKind, cpus: { view: DataView; offset: number }[], opts: DecodeOptions): AggregateValue {
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

export type TseriesKind = Extract<MapValueKind, { kind: 'tseries' }>;

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
