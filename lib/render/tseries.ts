// The time of tseries() intervals, as every output format shows and orders
// them: each point's boot-clock start, shifted to the wall clock by the
// session's offset (the clock an output format gets in `prepare`).
import type { TseriesPoint } from '../../core/manifest/index.ts';
import type { Runtime, RuntimeConfig } from '../../sdk/index.ts';
import { wallClockText } from './wall-clock.ts';

/** What wall-clock times need from the session (a `RunSession` is one). */
export interface TseriesClock {
  /** realtime - boottime in ns. */
  readonly bootToRealtimeNs: bigint;
  /** Formats local time (strftime(3)). */
  readonly runtime: Pick<Runtime, 'strftime'>;
}

/**
 * The clock of a session's tseries times: its boot-to-realtime offset, or
 * none under BPFTRACE_DUMMY_TS_MAP (the test clock's values are wall-clock
 * nanoseconds already).
 */
export function tseriesClock(session: TseriesClock & { readonly config: Pick<RuntimeConfig, 'dummyTsMap'> }): TseriesClock {
  return session.config?.dummyTsMap ? { bootToRealtimeNs: 0n, runtime: session.runtime } : session;
}

/** Wall-clock real-time ns and local `%Y-%m-%dT%H:%M:%S` of a point (UTC of `start` without a clock). */
export function tseriesWallTime(p: TseriesPoint, clock?: TseriesClock): { ns: bigint; text: string } {
  if (!clock) return { ns: p.start, text: new Date(Number(p.start / 1_000_000n)).toISOString().slice(0, 19) };
  const ns = p.start + clock.bootToRealtimeNs;
  return { ns, text: wallClockText(clock.runtime, '%Y-%m-%dT%H:%M:%S', ns) };
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
