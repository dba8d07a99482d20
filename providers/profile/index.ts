// `profile:hz:99`, `profile:s:1`, `profile:ms:10`, `profile:us:N`,
// `profile:1s` / `profile:N` (ns): a CPU-clock perf event on every online CPU.
import { definePlugin, Services, type ProbeProvider } from '../../sdk/index.ts';
import { attachOnEveryCpu } from '../shared/perf-events.ts';
import { parseRate } from '../interval/index.ts';

const PERF_TYPE_SOFTWARE = 1;
const PERF_COUNT_SW_CPU_CLOCK = 0;

export const profileProvider: ProbeProvider = {
  name: 'profile',
  aliases: ['p'],
  expand(req, env) {
    const rate = parseRate(req.parts);
    if (typeof rate === 'string') return env.fail(rate.replace('interval', 'profile'), req.span);
    if (rate.hz === 0 || rate.periodNs === 0n) return env.fail('profile rate must be greater than 0', req.span);
    const target: Record<string, string | number> = rate.hz !== undefined ? { hz: rate.hz } : { periodNs: rate.periodNs!.toString() };
    return [{ name: `profile:${rate.canonical}`, provider: 'profile', section: 'perf_event', target }];
  },
  attach(probe, env) {
    return attachOnEveryCpu(env, {
      type: PERF_TYPE_SOFTWARE,
      config: PERF_COUNT_SW_CPU_CLOCK,
      ...(probe.target.hz !== undefined ? { sampleFreq: Number(probe.target.hz) } : { samplePeriod: BigInt(probe.target.periodNs) }),
    });
  },
};

export const profilePlugin = definePlugin('profile', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(profileProvider);
});
