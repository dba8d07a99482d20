// Maps as bpftrace's text output prints them: `print(@m[, top[, div]])` and the
// maps printed at exit, including the hist/lhist drawings.
import {
  lhistBucketBounds,
  type AggregateValue,
  type MapEntriesView,
  type MapEntry,
  type MapInfo,
  type MapValueKind,
  type Value,
  type ValueType,
} from '../../../core/manifest/index.ts';
import {
  formatDividedValue,
  formatValue,
  nonEmptyBuckets,
  printedEntries,
  printedPositions,
  numericView,
  sortMapsByName,
  type MapPrintOptions,
  type ValueFormatOptions,
} from '../../../lib/render/index.ts';
import { formatTseries } from './tseries.ts';

// --- bucket labels ------------------------------------------------------------

/**
 * Text of the exclusive upper bound of hist bucket `index`, as bpftrace's
 * hist_index_label: small bounds as plain numbers, larger ones scaled by the
 * largest power of 1024 below them with K M G T P E (4096 -> 4K, 5 << 20 -> 5M).
 */
function histBoundText(index: number, bits: number): string {
  const n = 1 << bits;
  if (index <= 2 * n) return String(index);
  let power = (index >> bits) - 1;
  const decade = Math.floor(power / 10);
  power -= decade * 10;
  const mantissa = (1n << BigInt(power)) * BigInt(n + (index & (n - 1)));
  return mantissa.toString() + ['', 'K', 'M', 'G', 'T', 'P', 'E'][decade];
}

/**
 * Row label of hist bucket `index`: `(..., 0)`, `[0]`, `[1]`, `[2, 4)`, ...,
 * `[1K, 2K)`; with bits > 0 the first 2^(bits+1) buckets are single values.
 */
export function histBucketLabel(index: number, bits: number): string {
  if (index <= 0) return '(..., 0)';
  if (index <= 2 * (1 << bits)) return `[${index - 1}]`;
  return `[${histBoundText(index - 1, bits)}, ${histBoundText(index, bits)})`;
}

/** An lhist bound: with a step that is a multiple of 1024, multiples of 1024 (2^20) print as nK (nM). */
function lhistBoundText(x: bigint, step: bigint): string {
  if (step % 1024n !== 0n || x === 0n) return x.toString();
  if (x % 1048576n === 0n) return `${x / 1048576n}M`;
  if (x % 1024n === 0n) return `${x / 1024n}K`;
  return x.toString();
}

/** Row label of lhist bucket `index`: `(..., min)`, `[lo, hi)` (or `[lo]` with step 1), `[max, ...)`. */
export function lhistBucketLabel(index: number, min: bigint, max: bigint, step: bigint): string {
  const { lo, hi } = lhistBucketBounds(index, min, max, step);
  if (lo === undefined) return `(..., ${lhistBoundText(min, step)})`;
  if (hi === undefined) return `[${lhistBoundText(lo, step)}, ...)`;
  if (step === 1n) return `[${lo}]`;
  return `[${lhistBoundText(lo, step)}, ${lhistBoundText(hi, step)})`;
}

// --- the drawing ---------------------------------------------------------------

const BAR_WIDTH = 52;

/** Bar length as bpftrace computes it, in single-precision float: int(count / (float)max * 52). */
function barLength(count: bigint, max: bigint): number {
  if (max === 0n) return 0;
  const ratio = Math.fround(Math.fround(Number(count)) / Math.fround(Number(max)));
  return Math.trunc(Math.fround(ratio * BAR_WIDTH));
}

/**
 * Rows of a hist/lhist drawing, from the first to the last non-empty bucket:
 * label left-aligned in 16 columns, count right-aligned in 8, then ` |`, the
 * `@` bar padded to 52 columns and `|`. `div` divides the counts (hist only).
 */
export function formatHistogram(counts: readonly bigint[], label: (index: number) => string, div = 1n): string {
  const range = nonEmptyBuckets(counts);
  if (!range) return '';
  const { first, last } = range;
  const shown = counts.slice(first, last + 1).map((c) => c / div);
  const max = shown.reduce((m, c) => (c > m ? c : m), 0n);
  let out = '';
  shown.forEach((c, i) => {
    out += label(first + i).padEnd(16) + c.toString().padStart(8) + ' |' + '@'.repeat(barLength(c, max)).padEnd(BAR_WIDTH) + '|\n';
  });
  return out;
}

// --- whole maps ------------------------------------------------------------------

function isHist(kind: MapValueKind): kind is Extract<MapValueKind, { kind: 'hist' | 'lhist' }> {
  return kind.kind === 'hist' || kind.kind === 'lhist';
}

/** Map key text: a tuple key drops its parentheses (`@[1, foo]`), as bpftrace. */
export function formatMapKey(key: Value, type: ValueType, opts: ValueFormatOptions = {}): string {
  const s = formatValue(key, type, opts);
  return s.length >= 2 && s.startsWith('(') && s.endsWith(')') ? s.slice(1, -1) : s;
}

function scalarText(kind: MapValueKind, v: AggregateValue, div: bigint, opts: ValueFormatOptions): string {
  switch (v.kind) {
    case 'int':
      return (v.value / div).toString();
    case 'stats':
      if (kind.kind === 'stats') return `{ .count = ${v.count}, .average = ${v.average / div}, .total = ${v.total} }`;
      return (v.average / div).toString();
    case 'plain':
      return kind.kind === 'plain' ? formatDividedValue(v.value, kind.type, div, opts) : String(v.value);
    case 'hist':
    case 'tseries':
      return '';
  }
}

function histText(kind: MapValueKind, v: AggregateValue, div: bigint): string {
  if (v.kind !== 'hist') return '';
  if (kind.kind === 'hist') return formatHistogram(v.counts, (i) => histBucketLabel(i, kind.bits), div);
  if (kind.kind === 'lhist') return formatHistogram(v.counts, (i) => lhistBucketLabel(i, kind.min, kind.max, kind.step));
  return '';
}

/** One entry's text: `head: value` and a newline, or `head:`, the drawing and an empty line. */
function entryText(map: MapInfo, e: MapEntry, div: bigint, opts: MapPrintOptions): string {
  const kind = map.value;
  const head = map.keyType ? `${map.name}[${formatMapKey(e.key ?? null, map.keyType, opts)}]` : map.name;
  if (isHist(kind)) return `${head}:\n${histText(kind, e.value, div)}\n`;
  if (kind.kind === 'tseries' && e.value.kind === 'tseries') return `${head}:\n${formatTseries(e.value.points, kind.interval, kind.signed, opts.clock)}\n`;
  return `${head}: ${scalarText(kind, e.value, div, opts)}\n`;
}

/**
 * What bpftrace prints for `print(@m, top, div)` and for each map at exit.
 * Scalar: `@x: 5`; keyed: `@x[key]: value` per entry; hist/lhist: `@x:` or
 * `@x[key]:`, the drawing, then an empty line; tseries likewise. An empty map
 * prints nothing. For lhist and tseries, `div` is ignored (as bpftrace).
 */
export function formatMap(map: MapInfo, entries: readonly MapEntry[], opts: MapPrintOptions = {}): string {
  const printed = printedEntries(map, entries, opts);
  const sorted = map.keyType ? printed.entries : printed.entries.slice(0, 1);
  // One string per entry, joined once: a large map's text is made flat, without a chain of concatenations.
  const out = new Array<string>(sorted.length);
  sorted.forEach((e, i) => {
    out[i] = entryText(map, e, printed.div, opts);
  });
  return out.join('');
}

/** Lines joined at once by formatMapView: a few large strings, and nothing of a chunk's entries kept after it. */
const CHUNK_ENTRIES = 4096;

/**
 * formatMap's text of a map read into a view: entries are decoded one at a
 * time in print order and their lines joined by chunks, so a large map costs
 * its sort arrays and its text, not an object per entry.
 */
export function formatMapView(map: MapInfo, view: MapEntriesView, opts: MapPrintOptions = {}): string {
  const { positions, div } = printedPositions(map, view, opts);
  const shown = map.keyType ? positions.length : Math.min(1, positions.length);
  const chunks: string[] = [];
  const lines: string[] = [];
  const numeric = numericView(map, view, div);
  for (let n = 0; n < shown; n++) {
    const i = positions[n]!;
    const key = numeric?.keyAsNumber?.(i);
    const value = key === undefined ? undefined : numeric?.valueAsNumber?.(i);
    // A number's text is its bigint's for integers a double holds exactly.
    lines.push(value !== undefined ? `${map.name}[${key}]: ${value}\n` : entryText(map, view.entry(i), div, opts));
    if (lines.length === CHUNK_ENTRIES) {
      chunks.push(lines.join(''));
      lines.length = 0;
    }
  }
  chunks.push(lines.join(''));
  return chunks.join('');
}

/** One map as read at exit: its entries, or a view of them to print from (MapSnapshot's `packed`). */
export interface MapContents {
  info: MapInfo;
  entries: readonly MapEntry[];
  packed?: MapEntriesView;
}

/**
 * What bpftrace prints when the program ends: an empty line twice (always),
 * then, unless `printMaps` is false (print_maps_on_exit=0), every map in name
 * order; a map with a view is printed from it (formatMapView).
 */
export function formatMapsAtExit(maps: readonly MapContents[], opts: ValueFormatOptions & Pick<MapPrintOptions, 'clock'> & { printMaps?: boolean } = {}): string {
  const out = ['\n\n'];
  if (opts.printMaps === false) return out[0]!;
  for (const m of sortMapsByName(maps)) out.push(m.packed ? formatMapView(m.info, m.packed, opts) : formatMap(m.info, m.entries, opts));
  return out.join('');
}
