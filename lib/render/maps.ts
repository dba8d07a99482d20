// What every output format does alike with a map before printing it: the
// entries in bpftrace's print order, `print(@m, top, div)`'s last `top`
// entries and divisor, the maps at exit in name order, and the span of a
// histogram's non-empty buckets.
import type { AggregateValue, MapEntriesView, MapEntry, MapInfo, MapValueKind, Value, ValueType } from '../../core/manifest/index.ts';
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
  return printOrder(map.value, entries.length, (i) => entries[i]!.value, (i) => entries[i]!.key ?? null).map((i) => entries[i]!);
}

/**
 * Positions 0 to count - 1 in print order (see sortMapEntries), from each
 * position's value and key. They are gathered into arrays before sorting (as
 * doubles where every one is a safe integer), so comparisons decode nothing
 * and a view that decodes on demand holds nothing per entry but those arrays.
 */
export function printOrder(
  kind: MapValueKind,
  count: number,
  valueAt: (i: number) => AggregateValue,
  keyAt: (i: number) => Value,
  shortcuts: NumberShortcuts = {},
): number[] {
  const order = new Array<number>(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (count === 0) return order;
  const keyDoubles = asDoubles(count, keyAt, shortcuts.key);
  const keys = keyDoubles ? undefined : Array.from({ length: count }, (_, i) => keyAt(i));
  const byKey = keyDoubles ? (i: number, j: number) => keyDoubles[i]! - keyDoubles[j]! : (i: number, j: number) => compareValues(keys![i]!, keys![j]!);
  if (sortNumber(kind, valueAt(0)) === undefined) return order.sort((i, j) => byKey(i, j) || i - j);
  // One sort by (number, key): the order of a sort by key then a stable sort by
  // number, with each entry's number computed once rather than per comparison.
  const numberAt = (i: number) => sortNumber(kind, valueAt(i)) ?? 0n;
  const exact = asDoubles(count, numberAt, shortcuts.number);
  // Every number and key a safe integer: compared as doubles, which is the same order and much cheaper.
  if (exact && keyDoubles) return order.sort((i, j) => exact[i]! - exact[j]! || keyDoubles[i]! - keyDoubles[j]! || i - j);
  if (exact) return order.sort((i, j) => exact[i]! - exact[j]! || byKey(i, j) || i - j);
  const numbers = Array.from({ length: count }, (_, i) => numberAt(i));
  return order.sort((i, j) => {
    const x = numbers[i]!;
    const y = numbers[j]!;
    return x < y ? -1 : x > y ? 1 : byKey(i, j) || i - j;
  });
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Position i's key and sort number as doubles, without decoding them, where
 * the source can tell (MapEntriesView's keyAsNumber and valueAsNumber);
 * undefined sends that position to the decoded value.
 */
export interface NumberShortcuts {
  key?: (i: number) => number | undefined;
  number?: (i: number) => number | undefined;
}

/** The values as doubles when every one is an integer that a double holds exactly; else undefined. */
function asDoubles(count: number, valueAt: (i: number) => unknown, shortcut?: (i: number) => number | undefined): Float64Array | undefined {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const n = shortcut?.(i);
    if (n !== undefined) {
      out[i] = n;
      continue;
    }
    const v = valueAt(i);
    if (typeof v !== 'bigint' || v > SAFE || v < -SAFE) return undefined;
    out[i] = Number(v);
  }
  return out;
}

/** The divisor of print(@m, top, div): 1 for none or 0. */
function divisor(opts: MapPrintOptions): bigint {
  return opts.div === undefined || BigInt(opts.div) === 0n ? 1n : BigInt(opts.div);
}

/** The entries `print(@m, top, div)` shows, in print order, and the divisor (1 for none or 0). */
export function printedEntries(map: MapInfo, entries: readonly MapEntry[], opts: MapPrintOptions): { entries: MapEntry[]; div: bigint } {
  let sorted = sortMapEntries(map, entries);
  const top = opts.top ?? 0;
  if (top > 0 && sorted.length > top) sorted = sorted.slice(sorted.length - top);
  return { entries: sorted, div: divisor(opts) };
}

/** printedEntries over a view: the positions `print(@m, top, div)` shows, in print order, and the divisor. */
export function printedPositions(map: MapInfo, view: MapEntriesView, opts: MapPrintOptions): { positions: number[]; div: bigint } {
  // The sort number is the value itself for count, sum and integer values: the shortcut's number.
  const byValue = map.value.kind === 'count' || map.value.kind === 'sum' || map.value.kind === 'plain';
  const shortcuts = { key: view.keyAsNumber?.bind(view), number: byValue ? view.valueAsNumber?.bind(view) : undefined };
  let order = printOrder(map.value, view.size, (i) => view.value(i), (i) => view.key(i) ?? null, shortcuts);
  const top = opts.top ?? 0;
  if (top > 0 && order.length > top) order = order.slice(order.length - top);
  return { positions: order, div: divisor(opts) };
}

/**
 * The view when its entries' text can be made from its number shortcuts (keyAsNumber, valueAsNumber):
 * plain integer keys (no enum names) and count, sum or plain integer values,
 * undivided. Positions the shortcuts cannot give are decoded as usual.
 */
export function numericView(map: MapInfo, view: MapEntriesView, div: bigint): MapEntriesView | undefined {
  const plainInt = (t: ValueType | undefined) => t?.kind === 'int' && !t.enumName && !t.render;
  const value = map.value;
  const integers = value.kind === 'count' || value.kind === 'sum' || (value.kind === 'plain' && plainInt(value.type));
  return div === 1n && plainInt(map.keyType) && integers ? view : undefined;
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
