// Maps as bpftrace's JSON output prints them (print(@m[, top[, div]]) and the
// maps at exit): one `map`, `hist` or `stats` message per map, entries in the
// text format's order.
import {
  histBucketBounds,
  lhistBucketBounds,
  type AggregateValue,
  type MapEntriesView,
  type MapEntry,
  type MapInfo,
  type MapValueKind,
  type TseriesPoint,
  type Value,
  type ValueType,
} from '../../../core/manifest/index.ts';
import {
  formatValue,
  isRecord,
  nonEmptyBuckets,
  printedEntries,
  printedPositions,
  numericView,
  secondFraction,
  tseriesWallTime,
  type MapPrintOptions,
  type TseriesClock,
  type ValueFormatOptions,
} from '../../../lib/render/index.ts';
import { jsonArray, jsonInt, jsonMessage, jsonObject, jsonString, jsonValue } from './json.ts';

type HistKind = Extract<MapValueKind, { kind: 'hist' | 'lhist' }>;

/** One key element: strings as they are, compound values in text form without its spaces, the rest as text prints them. */
function keyPart(value: Value, type: ValueType, opts: ValueFormatOptions): string {
  if (type.kind === 'tuple' && Array.isArray(value)) return `(${jsonMapKey(value, type, opts)})`;
  if ((type.kind === 'record' || type.kind === 'struct') && isRecord(value)) {
    return '{' + type.fields.map((f, i) => `.${f.name}=${keyPart(value.fields[i]?.[1] ?? null, f.type, opts)}`).join(',') + '}';
  }
  if (type.kind === 'array' && Array.isArray(value)) return '[' + value.map((v) => keyPart(v, type.element, opts)).join(',') + ']';
  return formatValue(value, type, opts);
}

/**
 * A map key as a JSON object key: tuple elements joined by `,` with no spaces
 * (`@[comm, 2]` -> `"bpftrace,2"`), enums by name, strings unchanged.
 */
export function jsonMapKey(key: Value, type: ValueType, opts: ValueFormatOptions = {}): string {
  if (type.kind === 'tuple' && Array.isArray(key)) return type.elements.map((e, i) => keyPart(key[i] ?? null, e.type, opts)).join(',');
  return keyPart(key, type, opts);
}

/**
 * A hist/lhist as bpftrace's JSON: the buckets from the first to the last
 * non-empty one, each `{"min": lo, "max": hi, "count": n}` with inclusive
 * bounds; the negative (below-min) bucket has no `min`, lhist's overflow
 * bucket no `max`. `div` divides hist counts (never lhist's, as bpftrace).
 */
export function jsonHistogram(counts: readonly bigint[], kind: HistKind, div = 1n): string {
  const range = nonEmptyBuckets(counts);
  if (!range) return jsonArray([]);
  const buckets: string[] = [];
  for (let i = range.first; i <= range.last; i++) {
    const { lo, hi } = kind.kind === 'hist' ? histBucketBounds(i, kind.bits) : lhistBucketBounds(i, kind.min, kind.max, kind.step);
    const fields: [string, string][] = [];
    if (lo !== undefined) fields.push(['min', jsonInt(lo)]);
    if (hi !== undefined) fields.push(['max', jsonInt(hi - 1n)]);
    fields.push(['count', (kind.kind === 'hist' ? counts[i] / div : counts[i]).toString()]);
    buckets.push(jsonObject(fields));
  }
  return jsonArray(buckets);
}

/**
 * A tseries as bpftrace's JSON: one `{"interval_start": "YYYY-MM-DDTHH:MM:SS.nnnnnnnnn",
 * "value": v}` per interval (local time through `clock`), `null` where the interval has no value.
 */
export function jsonTseries(points: readonly TseriesPoint[], clock?: TseriesClock): string {
  return jsonArray(points.map((p) => {
    const { ns, text } = tseriesWallTime(p, clock);
    return jsonObject([
      ['interval_start', jsonString(text + secondFraction(ns, 9))],
      ['value', p.value === undefined ? 'null' : jsonInt(p.value)],
    ]);
  }));
}

/** The JSON of one merged map value; stats as `{"count", "average", "total"}`, avg as its average. */
function aggregateJson(kind: MapValueKind, v: AggregateValue, div: bigint, clock: TseriesClock | undefined): string {
  switch (v.kind) {
    case 'hist':
      return kind.kind === 'hist' || kind.kind === 'lhist' ? jsonHistogram(v.counts, kind, div) : jsonArray([]);
    case 'int':
      return jsonInt(v.value / div);
    case 'stats':
      if (kind.kind !== 'stats') return jsonInt(v.average / div);
      return jsonObject([
        ['count', jsonInt(v.count)],
        ['average', jsonInt(v.average / div)],
        ['total', jsonInt(v.total)],
      ]);
    case 'tseries':
      return jsonTseries(v.points, clock);
    case 'plain':
      return kind.kind === 'plain' ? jsonValue(v.value, kind.type, div) : jsonValue(v.value, { kind: 'none' });
  }
}

/** The message type of a map: `hist` for hist/lhist, `stats` for avg/stats, `tseries`, else `map`. */
export function jsonMapType(kind: MapValueKind): 'hist' | 'stats' | 'tseries' | 'map' {
  if (kind.kind === 'hist' || kind.kind === 'lhist') return 'hist';
  if (kind.kind === 'tseries') return 'tseries';
  if (kind.kind === 'avg' || kind.kind === 'stats') return 'stats';
  return 'map';
}

/**
 * The line bpftrace's JSON output prints for a map: scalar maps as
 * `{"type": "map", "data": {"@x": 5}}`, keyed ones as `{"@x": {"key": value}}`.
 * An empty map prints nothing (''), except avg/stats maps, which print
 * `{"@x": {}}` as bpftrace does.
 */
export function formatJsonMap(map: MapInfo, entries: readonly MapEntry[], opts: MapPrintOptions = {}): string {
  const { entries: sorted, div } = printedEntries(map, entries, opts);
  const type = jsonMapType(map.value);
  if (sorted.length === 0 && type !== 'stats') return '';
  const keyType = map.keyType;
  let data: string;
  if (!keyType) data = sorted.length > 0 ? aggregateJson(map.value, sorted[0].value, div, opts.clock) : jsonObject([]);
  else data = jsonObject(sorted.map((e) => [jsonMapKey(e.key ?? null, keyType, opts), aggregateJson(map.value, e.value, div, opts.clock)]));
  return jsonMessage(type, jsonObject([[map.name, data]]));
}

/** One keyed entry's `"key": value` in a map message. */
function entryField(map: MapInfo, keyType: ValueType, e: MapEntry, div: bigint, opts: MapPrintOptions): string {
  return `${jsonString(jsonMapKey(e.key ?? null, keyType, opts))}: ${aggregateJson(map.value, e.value, div, opts.clock)}`;
}

/** Stands for the map's data in the message frame; jsonString escapes it, so only the data slot holds it raw. */
const DATA_SLOT = '\u0000';

/** Fields joined at once by formatJsonMapView: a few large strings, and nothing of a chunk's entries kept after it. */
const CHUNK_ENTRIES = 4096;

/**
 * formatJsonMap's line of a map read into a view: keyed entries are decoded
 * one at a time in print order and their fields joined by chunks, so a large
 * map costs its sort arrays and its text, not an object per entry.
 */
export function formatJsonMapView(map: MapInfo, view: MapEntriesView, opts: MapPrintOptions = {}): string {
  const keyType = map.keyType;
  if (!keyType || view.size === 0) return formatJsonMap(map, Array.from({ length: view.size }, (_, i) => view.entry(i)), opts);
  const { positions, div } = printedPositions(map, view, opts);
  const frame = jsonMessage(jsonMapType(map.value), jsonObject([[map.name, DATA_SLOT]]));
  const slot = frame.indexOf(DATA_SLOT);
  const chunks: string[] = [frame.slice(0, slot) + '{'];
  const fields: string[] = [];
  const numeric = numericView(map, view, div);
  for (let n = 0; n < positions.length; n++) {
    const i = positions[n]!;
    const key = numeric?.keyAsNumber?.(i);
    const value = key === undefined ? undefined : numeric?.valueAsNumber?.(i);
    const field = value !== undefined ? `"${key}": ${value}` : entryField(map, keyType, view.entry(i), div, opts);
    fields.push(n > 0 ? ', ' + field : field);
    if (fields.length === CHUNK_ENTRIES) {
      chunks.push(fields.join(''));
      fields.length = 0;
    }
  }
  chunks.push(fields.join(''));
  chunks.push('}' + frame.slice(slot + DATA_SLOT.length));
  return chunks.join('');
}
