// What every output format does alike with a map before printing it: the
// entries in bpftrace's print order, `print(@m, top, div)`'s last `top`
// entries and divisor, the maps at exit in name order, and the span of a
// histogram's non-empty buckets.
import type { AggregateValue, MapEntry, MapInfo, MapValueKind } from '../../core/manifest/index.ts';
import { tseriesLastUpdate, type TseriesClock } from './tseries.ts';
import { compareValues, type ValueFormatOptions } from './value.ts';

export interface MapPrintOptions extends ValueFormatOptions {
  /** Print only the last `top` entries (after sorting); 0 or absent: all. */
  top?: number;
  /** Divide integer values, averages and hist counts by this; 0 or absent: 1. */
  div?: number | bigint;
  /** The session's clock: tseries intervals show as wall-clock time (absent: UTC of the boot clock). */
  clock?: TseriesClock;
}

/** The number an entry is sorted by, or undefined to sort by key. */
function sortNumber(kind: MapValueKind, v: AggregateValue): bigint | undefined {
  if (kind.kind === 'hist' || kind.kind === 'lhist') return v.kind === 'hist' ? v.counts.reduce((a, b) => a + b, 0n) : 0n;
  if (v.kind === 'tseries') return tseriesLastUpdate(v.points);
  if (v.kind === 'int') return v.value;
  if (v.kind === 'stats') return v.average;
  if (v.kind === 'plain' && kind.kind === 'plain' && kind.type.kind === 'int' && typeof v.value === 'bigint') return v.value;
  return undefined;
}

/**
 * Entries in bpftrace's print order: count/sum/min/max and integer values
 * ascending by value, avg/stats by average, hist/lhist by total count,
 * tseries by last update (least recent first), anything
 * else by key. Ties are broken by key so the order is always the same.
 */
export function sortMapEntries(map: MapInfo, entries: readonly MapEntry[]): MapEntry[] {
  const byKey = (a: MapEntry, b: MapEntry) => compareValues(a.key ?? null, b.key ?? null);
  if (entries.length === 0 || sortNumber(map.value, entries[0].value) === undefined) return [...entries].sort(byKey);
  // One sort by (number, key): the order of a sort by key then a stable sort by
  // number, with each entry's number computed once rather than per comparison.
  const numbers = entries.map((e) => sortNumber(map.value, e.value) ?? 0n);
  const order = entries.map((_, i) => i);
  const exact = asDoubles(numbers);
  const exactKeys = exact && asDoubles(entries.map((e) => e.key));
  if (exact && exactKeys) {
    // Every number and key a safe integer: compared as doubles, which is the same order and much cheaper.
    order.sort((i, j) => exact[i] - exact[j] || exactKeys[i] - exactKeys[j] || i - j);
  } else {
    order.sort((i, j) => {
      const x = numbers[i];
      const y = numbers[j];
      return x < y ? -1 : x > y ? 1 : byKey(entries[i], entries[j]) || i - j;
    });
  }
  return order.map((i) => entries[i]);
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The values as doubles when every one is an integer that a double holds exactly; else undefined. */
function asDoubles(values: readonly unknown[]): Float64Array | undefined {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'bigint' || v > SAFE || v < -SAFE) return undefined;
    out[i] = Number(v);
  }
  return out;
}

/** The entries `print(@m, top, div)` shows, in print order, and the divisor (1 for none or 0). */
export function printedEntries(map: MapInfo, entries: readonly MapEntry[], opts: MapPrintOptions): { entries: MapEntry[]; div: bigint } {
  let sorted = sortMapEntries(map, entries);
  const top = opts.top ?? 0;
  if (top > 0 && sorted.length > top) sorted = sorted.slice(sorted.length - top);
  const div = opts.div === undefined || BigInt(opts.div) === 0n ? 1n : BigInt(opts.div);
  return { entries: sorted, div };
}

/** Maps in name order, as they print at exit. */
export function sortMapsByName<M extends { info: MapInfo }>(maps: readonly M[]): M[] {
  return [...maps].sort((a, b) => (a.info.name < b.info.name ? -1 : a.info.name > b.info.name ? 1 : 0));
}

/** The first and last non-empty buckets of a histogram (both printed, and all between); undefined when all are empty. */
export function nonEmptyBuckets(counts: readonly bigint[]): { first: number; last: number } | undefined {
  let first = -1;
  let last = -1;
  counts.forEach((c, i) => {
    if (c <= 0n) return;
    if (first < 0) first = i;
    last = i;
  });
  return first < 0 ? undefined : { first, last };
}
