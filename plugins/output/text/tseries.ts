// tseries() drawings as bpftrace's text output prints them: one row per
// interval (`hh:mm:ss[.frac]`, a 53-column graph, the value), the min/max
// axis above and below. Interval starts show as wall-clock time through the
// session's clock.
import type { TseriesPoint } from '../../../core/manifest/index.ts';
import { secondFraction, tseriesWallTime, type TseriesClock } from '../../../lib/render/index.ts';

const GRAPH_WIDTH = 53;
/** Columns given to the min label before the right-aligned max label. */
const AXIS_PADDING = 21;

/** How interval starts are printed: seconds and, below 1s intervals, the fraction of a second. */
export function tseriesTimeUnit(interval: bigint): { label: string; digits: number } {
  if (interval >= 1_000_000_000n) return { label: '', digits: 0 };
  if (interval >= 1_000_000n) return { label: '.ms', digits: 3 };
  if (interval >= 1_000n) return { label: '.μs', digits: 6 };
  return { label: '.ns', digits: 9 };
}

/** `%H:%M:%S` plus the unit's fraction: the row label of an interval. */
function rowTime(p: TseriesPoint, digits: number, clock: TseriesClock | undefined): string {
  const { ns, text } = tseriesWallTime(p, clock);
  return text.slice(11, 19) + secondFraction(ns, digits);
}

const LIMITS = {
  signed: [-(1n << 63n), (1n << 63n) - 1n],
  unsigned: [0n, (1n << 64n) - 1n],
} as const;

/** Axis bounds: the values' range, widened by one each way when flat (within the 64-bit range). */
function axis(points: readonly TseriesPoint[], signed: boolean): { min: bigint; max: bigint } {
  const values = points.flatMap((p) => (p.value === undefined ? [] : [p.value]));
  let min = values.length ? values.reduce((a, b) => (b < a ? b : a)) : 0n;
  let max = values.length ? values.reduce((a, b) => (b > a ? b : a)) : 0n;
  if (min === max) {
    const [lo, hi] = LIMITS[signed ? 'signed' : 'unsigned'];
    if (min > lo) min--;
    if (max < hi) max++;
  }
  return { min, max };
}

/** Column of `v` on the graph, in single-precision float as bpftrace computes it. */
function column(v: bigint, min: bigint, max: bigint, scale: number): number {
  const f = Math.fround(Math.fround(scale) * Math.fround(Number(v - min)));
  return Math.trunc(Math.fround(f / Math.fround(Number(max - min))));
}

/**
 * The drawing of one tseries (without the `@name:` line): `*` marks the
 * value, `.` the zero line when 0 lies strictly inside the axis, `-` an
 * interval with no value. `<no data>` when there are no intervals. Rows are
 * labelled with the wall-clock time of `clock` (absent: UTC of the boot clock).
 */
export function formatTseries(points: readonly TseriesPoint[], interval: bigint, signed: boolean, clock?: TseriesClock): string {
  if (points.length === 0) return '<no data>\n';
  const { label, digits } = tseriesTimeUnit(interval);
  const timeFormat = 'hh:mm:ss' + label;
  const timeSize = 8 + (digits ? 1 + digits : 0);
  const { min, max } = axis(points, signed);
  const bounds = min.toString().padEnd(AXIS_PADDING) + max.toString().padStart(GRAPH_WIDTH - AXIS_PADDING);
  let out = ' '.repeat(timeSize + 1) + bounds + '\n';
  out += timeFormat.padEnd(timeSize + 1) + '|' + '_'.repeat(GRAPH_WIDTH - 2) + '|\n';
  const zero = min < 0n && max > 0n ? column(0n, min, max, GRAPH_WIDTH) : 0;
  for (const p of points) {
    const line = [...' '.repeat(GRAPH_WIDTH)];
    line[0] = '|';
    line[GRAPH_WIDTH - 1] = '|';
    if (zero > 0) line[zero] = '.';
    let tail = ' -';
    if (p.value !== undefined) {
      const at = min === max ? Math.trunc(GRAPH_WIDTH / 2) : column(p.value, min, max, GRAPH_WIDTH - 1);
      line[Math.max(0, Math.min(GRAPH_WIDTH - 1, at))] = '*';
      tail = ' ' + p.value.toString();
    }
    out += rowTime(p, digits, clock) + ' ' + line.join('') + tail + '\n';
  }
  out += ' '.repeat(timeSize) + ' v' + '_'.repeat(GRAPH_WIDTH - 2) + 'v\n';
  out += ' '.repeat(timeSize) + ' ' + bounds + '\n';
  return out;
}
