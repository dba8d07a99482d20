// The time of tseries() intervals, as every output format shows and orders
// them: each point carries its wall-clock start (the session adds it, see
// core/session/timestamps.ts) and its boot-clock start.
import type { TseriesPoint } from '../../core/manifest/index.ts';

/** Wall-clock real-time ns and local `%Y-%m-%dT%H:%M:%S` of a point (UTC from `start` when the session added none). */
export function tseriesWallTime(p: TseriesPoint): { ns: bigint; text: string } {
  const ns = p.wallNs ?? p.start;
  const text = p.wallText ?? new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 19);
  return { ns, text };
}

/** The fraction of a second of `ns` to `digits` digits, with its `.` (`.250`); '' for 0 digits. */
export function secondFraction(ns: bigint, digits: number): string {
  if (digits === 0) return '';
  const inSecond = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  return '.' + String(inSecond / 10n ** BigInt(9 - digits)).padStart(digits, '0');
}

/** The last interval that holds a value (its boot-clock start): tseries maps print least recently updated first. */
export function tseriesLastUpdate(points: readonly TseriesPoint[]): bigint {
  for (let i = points.length - 1; i >= 0; i--) if (points[i].value !== undefined) return points[i].start;
  return 0n;
}
