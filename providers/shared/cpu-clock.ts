// Timed probes: `interval` (one CPU) and `profile` (every online CPU) are both
// a CPU-clock software perf event, sampled every period (`s:1`, `ms:10`,
// `us:N`, `1s`, `N` ns) or at a frequency (`hz:99`). They share the rate
// syntax, the expansion and the event; they differ in where it is opened.
import type { ProbeInfo } from '../../core/manifest/index.ts';
import type { AttachPointRequest, ExpandedProbe, PerfEventOptions, ProviderEnv } from '../../sdk/index.ts';
import { plainSearch } from './listing.ts';

const PERF_TYPE_SOFTWARE = 1;
const PERF_COUNT_SW_CPU_CLOCK = 0;

const unitNs: Record<string, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };
const durationSuffix: Record<string, bigint> = { ...unitNs, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** Parses the rate of a timed provider: returns a period in ns or a frequency in hz. */
function parseRate(parts: string[]): { periodNs?: bigint; hz?: number; canonical: string } | string {
  if (parts.length === 2) {
    const [unit, n] = parts;
    if (!/^\d+$/.test(n)) return `Invalid rate: ${n}`;
    if (unit === 'hz') return { hz: Number(n), canonical: `hz:${n}` };
    const mul = unitNs[unit];
    if (!mul) return `${unit} is not an accepted unit`;
    return { periodNs: BigInt(n) * mul, canonical: `${unit}:${n}` };
  }
  if (parts.length === 1) {
    const m = /^(\d+)([a-z]*)$/.exec(parts[0]);
    if (!m) return `Invalid rate: ${parts[0]}`;
    const mul = m[2] ? durationSuffix[m[2]] : 1n;
    if (!mul) return `${m[2]} is not an accepted unit`;
    return { periodNs: BigInt(m[1]) * mul, canonical: parts[0] };
  }
  return 'interval probes take a unit and a rate: interval:s:1';
}

/** The one probe of `interval:...` or `profile:...`: its canonical name and its period or frequency. */
export function expandTimedProbe(provider: 'interval' | 'profile', req: AttachPointRequest, env: ProviderEnv): ExpandedProbe[] {
  const rate = parseRate(req.parts);
  if (typeof rate === 'string') return env.fail(rate.replaceAll('interval', provider), req.span);
  if (rate.hz === 0 || rate.periodNs === 0n) return env.fail(`${provider} rate must be greater than 0`, req.span);
  const target: Record<string, string | number> = rate.hz !== undefined ? { hz: rate.hz } : { periodNs: rate.periodNs!.toString() };
  return [{ name: `${provider}:${rate.canonical}`, provider, section: 'perf_event', target }];
}

/** The CPU-clock perf event of an expanded timed probe (without its CPU and process). */
export function cpuClockEvent(probe: ProbeInfo): Omit<PerfEventOptions, 'cpu' | 'pid'> {
  const hz = probe.target.hz;
  return {
    type: PERF_TYPE_SOFTWARE,
    config: PERF_COUNT_SW_CPU_CLOCK,
    ...(hz !== undefined ? { sampleFreq: Number(hz) } : { samplePeriod: BigInt(probe.target.periodNs) }),
  };
}

/** The units `-l 'interval:*'` lists (`hz:`, `ms:`, `s:`, `us:`), those the pattern matches. */
export function listTimedUnits(provider: 'interval' | 'profile', pattern: string): string[] {
  const search = plainSearch(pattern);
  return ['hz:', 'ms:', 's:', 'us:'].filter((u) => search.test(u)).map((u) => `${provider}:${u}`);
}

/** How `-l` shows a program's timed probe: its unit only (`interval:ms:` for `interval:ms:100`; `interval:s:` for `interval:1s`). */
export function listedTimedProbe(probe: ExpandedProbe): string {
  const [provider, first, second] = probe.name.split(':');
  const unit = second !== undefined ? first : (/^\d+([a-z]*)$/.exec(first ?? '')?.[1] || 'ns');
  return `${provider}:${unit}:`;
}
