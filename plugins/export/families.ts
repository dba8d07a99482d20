// Script maps as metric families, the one mapping both exporters (Prometheus,
// OTLP) share: what each aggregation becomes, metric and label names, label
// values. It works on the session's map snapshots (merged across CPUs,
// rendered: stacks and symbols are text already) and knows no wire format.
import {
  histBucketBounds,
  lhistBucketBounds,
  type AggregateValue,
  type MapInfo,
  type MapValueKind,
  type Value,
  type ValueType,
} from '../../core/manifest/index.ts';
import { formatValue, nonEmptyBuckets, type EnumNames } from '../../lib/render/index.ts';
import type { MapSnapshot } from '../../sdk/index.ts';

/** The prefix of every exported metric name. */
export const METRIC_PREFIX = 'bpfscript_';

export type Labels = Record<string, string>;

/** A histogram point: `bounds` are inclusive upper bounds (`le`), ascending; `counts` has one more slot, above the last bound. */
export interface HistogramPoint {
  labels: Labels;
  bounds: number[];
  counts: number[];
  count: number;
}

export type MetricFamily =
  | { kind: 'counter' | 'gauge'; name: string; help: string; points: { labels: Labels; value: number }[] }
  | { kind: 'summary'; name: string; help: string; points: { labels: Labels; sum: number; count: number }[] }
  | { kind: 'histogram'; name: string; help: string; points: HistogramPoint[] };

/** A map name as a metric name: `@syscalls` -> `bpfscript_syscalls`, `@` -> `bpfscript_anonymous`. */
export function metricName(mapName: string): string {
  const bare = mapName.replace(/^@/, '');
  return METRIC_PREFIX + (bare === '' ? 'anonymous' : bare.replace(/[^a-zA-Z0-9_]/g, '_'));
}

/** Label names a family's own samples use (`le`, `quantile`) or Prometheus reserves (`__x`) get a `key_` in front. */
function labelName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_]/g, '_').replace(/^(?=[0-9])/, '_');
  return clean === 'le' || clean === 'quantile' || clean.startsWith('__') ? `key_${clean}` : clean;
}

/** The label names of a key type: a record's field names, else `key0`, `key1`... */
function keyLabelNames(keyType: ValueType): string[] {
  if (keyType.kind === 'record' || keyType.kind === 'struct') return keyType.fields.map((f) => labelName(f.name));
  if (keyType.kind === 'tuple') return keyType.elements.map((_, i) => `key${i}`);
  return ['key0'];
}

/** One key part as label text: strings as they are, the rest as the text output prints them. */
function labelValue(value: Value, type: ValueType, enumNames: EnumNames): string {
  if (typeof value === 'string') return value;
  return formatValue(value, type, { enumNames });
}

/** A map key as labels. */
export function keyLabels(key: unknown, keyType: ValueType | undefined, enumNames: EnumNames = new Map()): Labels {
  if (!keyType) return {};
  const names = keyLabelNames(keyType);
  const labels: Labels = {};
  if (keyType.kind === 'record' || keyType.kind === 'struct') {
    const fields = (key as { fields: [string, Value][] }).fields;
    keyType.fields.forEach((f, i) => (labels[names[i]!] = labelValue(fields[i]?.[1] ?? null, f.type, enumNames)));
  } else if (keyType.kind === 'tuple' && !keyType.render) {
    keyType.elements.forEach((e, i) => (labels[names[i]!] = labelValue((key as Value[])[i] ?? null, e.type, enumNames)));
  } else labels.key0 = labelValue(key as Value, keyType, enumNames);
  return labels;
}

/** What a map's aggregation becomes; undefined for maps no metric type fits (strings, tuples, tseries). */
export function familyKind(value: MapValueKind): MetricFamily['kind'] | undefined {
  switch (value.kind) {
    case 'count':
      return 'counter';
    case 'sum':
      // A sum of unsigned values only grows (clear() is a counter reset); a signed one may fall.
      return value.signed ? 'gauge' : 'counter';
    case 'min':
    case 'max':
      return 'gauge';
    case 'avg':
    case 'stats':
      return 'summary';
    case 'hist':
    case 'lhist':
      return 'histogram';
    case 'plain':
      return value.type.kind === 'int' || value.type.kind === 'bool' ? 'gauge' : undefined;
    case 'tseries':
      return undefined;
  }
}

/** An integer or bool value as a sample value. */
function numberOf(v: AggregateValue): number {
  if (v.kind === 'int') return Number(v.value);
  if (v.kind === 'plain') return typeof v.value === 'boolean' ? Number(v.value) : Number(v.value as bigint);
  if (v.kind === 'stats') return Number(v.average);
  return 0;
}

type HistKind = Extract<MapValueKind, { kind: 'hist' | 'lhist' }>;

/** The inclusive upper bound of a bucket (its values are integers), or undefined for lhist's overflow bucket. */
function bucketLe(kind: HistKind, index: number): number | undefined {
  const { hi } = kind.kind === 'hist' ? histBucketBounds(index, kind.bits) : lhistBucketBounds(index, kind.min, kind.max, kind.step);
  return hi === undefined ? undefined : Number(hi - 1n);
}

/**
 * Histogram points with one set of bounds for the whole map: the buckets from
 * the first to the last that holds anything under any key (the empty ones
 * below and above add nothing to a cumulative count), so the `le` series of
 * every key line up.
 */
function histogramPoints(kind: HistKind, entries: { labels: Labels; counts: readonly bigint[] }[]): HistogramPoint[] {
  let first = Infinity;
  let last = -1;
  for (const e of entries) {
    const range = nonEmptyBuckets(e.counts);
    if (range) {
      first = Math.min(first, range.first);
      last = Math.max(last, range.last);
    }
  }
  const indexes: number[] = [];
  for (let i = first; i <= last; i++) indexes.push(i);
  const bounded = indexes.filter((i) => bucketLe(kind, i) !== undefined);
  const bounds = bounded.map((i) => bucketLe(kind, i)!);
  return entries.map((e) => {
    const counts = bounded.map((i) => Number(e.counts[i] ?? 0n));
    const total = e.counts.reduce((a, b) => a + b, 0n);
    const inBounds = counts.reduce((a, b) => a + b, 0);
    counts.push(Number(total) - inBounds);
    return { labels: e.labels, bounds, counts, count: Number(total) };
  });
}

/** A map snapshot as a metric family, or undefined when its values fit no metric type. */
export function mapFamily(snap: MapSnapshot, help: string, enumNames?: EnumNames): MetricFamily | undefined {
  const info: MapInfo = snap.info;
  const kind = familyKind(info.value);
  if (!kind) return undefined;
  const name = metricName(info.name);
  const entries = snap.entries.map((e) => ({ labels: keyLabels(e.key, info.keyType, enumNames), value: e.value as AggregateValue }));
  switch (kind) {
    case 'histogram': {
      const counts = entries.map((e) => ({ labels: e.labels, counts: e.value.kind === 'hist' ? e.value.counts : [] }));
      return { kind, name, help, points: histogramPoints(info.value as HistKind, counts) };
    }
    case 'summary':
      return {
        kind,
        name,
        help,
        points: entries.map((e) => (e.value.kind === 'stats' ? { labels: e.labels, sum: Number(e.value.total), count: Number(e.value.count) } : { labels: e.labels, sum: 0, count: 0 })),
      };
    default:
      return { kind, name, help, points: entries.map((e) => ({ labels: e.labels, value: numberOf(e.value) })) };
  }
}
