// `bpfscript merge`: the `-f json` output of several runs (hosts) as one
// result. Each input's last `map`, `hist` and `stats` message per map is its
// final state; across inputs counts and sums add, histogram buckets add
// bucket by bucket, stats combine (counts and totals add, the average is
// recomputed), and maps named as min or max maps take the extreme. The
// result is the same NDJSON messages, one per map, sorted by name.
import { jsonArray, jsonMessage, jsonObject } from './json.ts';

/** A histogram bucket as `-f json` prints it: bounds inclusive, `min` absent below the range, `max` above it. */
interface Bucket {
  min?: number;
  max?: number;
  count: number;
}

interface Stats {
  count: number;
  average: number;
  total: number;
}

type MessageType = 'map' | 'hist' | 'stats';

/** One map's final state in one input: its message type and the value under its name. */
interface MapState {
  type: MessageType;
  data: unknown;
}

export interface MergeOptions {
  /** Maps whose values are min() results: the smallest wins. */
  min?: ReadonlySet<string>;
  /** Maps whose values are max() results: the largest wins. */
  max?: ReadonlySet<string>;
}

/** Why inputs cannot be merged, with the input and line at fault when there is one. */
export class MergeError extends Error {}

/** The final state of each map in one input's text (later messages of a map replace earlier ones). */
export function finalMaps(text: string, name: string): Map<string, MapState> {
  const maps = new Map<string, MapState>();
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let message: { type?: unknown; data?: unknown };
    try {
      message = JSON.parse(line);
    } catch {
      throw new MergeError(`${name}:${i + 1}: not a JSON line of bpfscript -f json`);
    }
    const type = message.type;
    if (type !== 'map' && type !== 'hist' && type !== 'stats') return;
    if (typeof message.data !== 'object' || message.data === null) throw new MergeError(`${name}:${i + 1}: a ${type} message without its maps`);
    for (const [map, data] of Object.entries(message.data as Record<string, unknown>)) maps.set(map, { type, data });
  });
  return maps;
}

const isStats = (v: unknown): v is Stats =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && ['count', 'average', 'total'].every((k) => typeof (v as Record<string, unknown>)[k] === 'number');

/** Whether a map's data is keyed (`{"key": value}`) rather than one value. */
function keyed(type: MessageType, data: unknown): data is Record<string, unknown> {
  if (type === 'hist') return !Array.isArray(data);
  if (type === 'stats') return !isStats(data) && typeof data === 'object' && data !== null;
  return typeof data === 'object' && data !== null && !Array.isArray(data);
}

function bucketKey(b: Bucket): string {
  return `${b.min ?? '-inf'}:${b.max ?? 'inf'}`;
}

function mergeBuckets(a: readonly Bucket[], b: readonly Bucket[]): Bucket[] {
  const byBounds = new Map<string, Bucket>();
  for (const bucket of [...a, ...b]) {
    const k = bucketKey(bucket);
    const have = byBounds.get(k);
    byBounds.set(k, have ? { ...have, count: have.count + bucket.count } : { ...bucket });
  }
  // Below-range first, then by lower bound.
  return [...byBounds.values()].sort((x, y) => (x.min ?? -Infinity) - (y.min ?? -Infinity));
}

/** Two values of one key of map `map`. */
function mergeValue(map: string, type: MessageType, a: unknown, b: unknown, options: MergeOptions): unknown {
  if (type === 'hist') return mergeBuckets(a as Bucket[], b as Bucket[]);
  if (type === 'stats') {
    if (!isStats(a) || !isStats(b)) throw new MergeError(`${map} is an avg() map: its -f json output keeps only the average, which cannot be combined across runs (use stats())`);
    const count = a.count + b.count;
    const total = a.total + b.total;
    return { count, total, average: count === 0 ? 0 : Math.trunc(total / count) };
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (options.min?.has(map)) return Math.min(a, b);
    if (options.max?.has(map)) return Math.max(a, b);
    return a + b;
  }
  // Values that do not add (strings, tuples): the later input's.
  return b;
}

function mergeState(map: string, a: MapState, b: MapState, options: MergeOptions): MapState {
  if (a.type !== b.type) throw new MergeError(`${map} is a ${a.type} map in one input and a ${b.type} map in another`);
  const { type } = a;
  if (!keyed(type, a.data) || !keyed(type, b.data)) return { type, data: mergeValue(map, type, a.data, b.data, options) };
  const data: Record<string, unknown> = { ...a.data };
  for (const [key, value] of Object.entries(b.data)) data[key] = key in data ? mergeValue(map, type, data[key], value, options) : value;
  return { type, data };
}

function bucketJson(b: Bucket): string {
  const fields: [string, string][] = [];
  if (b.min !== undefined) fields.push(['min', String(b.min)]);
  if (b.max !== undefined) fields.push(['max', String(b.max)]);
  fields.push(['count', String(b.count)]);
  return jsonObject(fields);
}

/** Back to `-f json`'s line for the map (stats fields in its order). */
function messageLine(map: string, state: MapState): string {
  const value = (v: unknown): string => {
    if (state.type === 'stats' && isStats(v)) return jsonObject([['count', String(v.count)], ['average', String(v.average)], ['total', String(v.total)]]);
    if (state.type === 'hist' && Array.isArray(v)) return jsonArray((v as Bucket[]).map(bucketJson));
    return JSON.stringify(v);
  };
  const data = keyed(state.type, state.data) ? jsonObject(Object.entries(state.data).map(([k, v]) => [k, value(v)])) : value(state.data);
  return jsonMessage(state.type, jsonObject([[map, data]]));
}

/** The merged maps of several inputs (`name` for messages, `text` their `-f json` output), as NDJSON lines. */
export function mergeJsonRuns(inputs: readonly { name: string; text: string }[], options: MergeOptions = {}): string {
  const merged = new Map<string, MapState>();
  for (const input of inputs) {
    for (const [map, state] of finalMaps(input.text, input.name)) {
      const have = merged.get(map);
      merged.set(map, have ? mergeState(map, have, state, options) : state);
    }
  }
  return [...merged.keys()].sort().map((map) => messageLine(map, merged.get(map)!)).join('');
}

