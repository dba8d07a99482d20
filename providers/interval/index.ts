// `interval:s:1`, `interval:ms:100`, `interval:us:N`, `interval:hz:N`,
// `interval:1s` / `interval:N` (ns): a CPU-clock perf event on one CPU.
import { definePlugin, Services, type ProbeProvider } from '../../sdk/index.ts';

const PERF_TYPE_SOFTWARE = 1;
const PERF_COUNT_SW_CPU_CLOCK = 0;

const unitNs: Record<string, bigint> = { s: 1_000_000_000n, ms: 1_000_000n, us: 1_000n, ns: 1n };
const durationSuffix: Record<string, bigint> = { ...unitNs, m: 60_000_000_000n, h: 3_600_000_000_000n, d: 86_400_000_000_000n };

/** Parses the rate of a timed provider: returns a period in ns or a frequency in hz. */
export function parseRate(parts: string[]): { periodNs?: bigint; hz?: number; canonical: string } | string {
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

export const intervalProvider: ProbeProvider = {
  name: 'interval',
  aliases: ['i'],
  expand(req, env) {
    const rate = parseRate(req.parts);
    if (typeof rate === 'string') return env.fail(rate, req.span);
    if (rate.hz === 0 || rate.periodNs === 0n) env.fail('interval rate must be greater than 0', req.span);
    const target: Record<string, string | number> = rate.hz !== undefined ? { hz: rate.hz } : { periodNs: rate.periodNs!.toString() };
    return [{ name: `interval:${rate.canonical}`, provider: 'interval', section: 'perf_event', target }];
  },
  attach(probe, env) {
    const cpu = env.onlineCpus()[0] ?? 0;
    const hz = probe.target.hz;
    const fd = env.perfEventOpen({
      type: PERF_TYPE_SOFTWARE,
      config: PERF_COUNT_SW_CPU_CLOCK,
      ...(hz !== undefined ? { sampleFreq: Number(hz) } : { samplePeriod: BigInt(probe.target.periodNs) }),
      cpu,
      pid: -1,
    });
    const link = env.program.attachPerfEvent(fd);
    return [{ detach: () => { link.detach(); env.closeFd(fd); } }];
  },
};

export const intervalPlugin = definePlugin('interval', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(intervalProvider);
});
