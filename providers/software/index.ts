// `software:event[:count]` (`s`): perf software events on every online CPU,
// sampled every `count` events (a default per event, as bpftrace).
import { definePlugin, Services, type Attachment, type ProbeProvider } from '../../sdk/index.ts';

const PERF_TYPE_SOFTWARE = 1;

/** Event names (and aliases) -> perf config id and default sample period. */
const events: Record<string, { config: number; period: number; canonical: string }> = {};
for (const [names, config, period] of [
  [['cpu-clock', 'cpu'], 0, 1_000_000],
  [['task-clock'], 1, 1_000_000],
  [['page-faults', 'faults'], 2, 100],
  [['context-switches', 'cs'], 3, 1_000],
  [['cpu-migrations'], 4, 1],
  [['minor-faults'], 5, 100],
  [['major-faults'], 6, 1],
  [['alignment-faults'], 7, 1],
  [['emulation-faults'], 8, 1],
  [['dummy'], 9, 1],
  [['bpf-output'], 10, 1],
] as [string[], number, number][]) {
  for (const n of names) events[n] = { config, period, canonical: names[0] };
}

export const softwareProvider: ProbeProvider = {
  name: 'software',
  aliases: ['s'],
  expand(req, env) {
    const [event, count] = req.parts;
    if (!event || req.parts.length > 2) return env.fail('software probes take an event and an optional count: software:page-faults:100', req.span);
    const e = events[event];
    if (!e) return env.fail(`${event} is not a software probe. Valid events: ${Object.keys(events).join(', ')}`, req.span);
    if (count !== undefined && !/^\d+$/.test(count)) return env.fail(`Invalid count: ${count}`, req.span);
    const period = count !== undefined ? Number(count) : e.period;
    if (period === 0) return env.fail('software probe count must be greater than 0', req.span);
    return [{ name: `software:${e.canonical}:${period}`, provider: 'software', section: 'perf_event', target: { config: e.config, period } }];
  },
  attach(probe, env) {
    const out: Attachment[] = [];
    for (const cpu of env.onlineCpus()) {
      const fd = env.perfEventOpen({ type: PERF_TYPE_SOFTWARE, config: Number(probe.target.config), samplePeriod: Number(probe.target.period), cpu, pid: -1 });
      out.push(env.program.attachPerfEvent(fd));
    }
    return out;
  },
  list() {
    return Object.entries(events).filter(([n, e]) => n === e.canonical).map(([n]) => `software:${n}:`);
  },
};

export const softwarePlugin = definePlugin('software', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(softwareProvider);
});
