// `hardware:event[:count]` (`h`): CPU performance counters (PMU) on every
// online CPU, sampled every `count` events. No wildcards, as upstream.
import { definePlugin, Services, type Attachment, type ProbeProvider } from '../../sdk/index.ts';

const PERF_TYPE_HARDWARE = 0;

const events: Record<string, { config: number; canonical: string }> = {};
for (const [names, config] of [
  [['cpu-cycles', 'cycles'], 0],
  [['instructions'], 1],
  [['cache-references'], 2],
  [['cache-misses'], 3],
  [['branch-instructions', 'branches'], 4],
  [['branch-misses'], 5],
  [['bus-cycles'], 6],
  [['frontend-stalls'], 7],
  [['backend-stalls'], 8],
  [['ref-cycles'], 9],
] as [string[], number][]) {
  for (const n of names) events[n] = { config, canonical: names[0] };
}

const defaultPeriod = 1_000_000;

export const hardwareProvider: ProbeProvider = {
  name: 'hardware',
  aliases: ['h'],
  expand(req, env) {
    const [event, count] = req.parts;
    if (!event || req.parts.length > 2) return env.fail('hardware probes take an event and an optional count: hardware:cache-misses:1000000', req.span);
    const e = events[event];
    if (!e) return env.fail(`${event} is not a hardware probe. Valid events: ${Object.keys(events).join(', ')}`, req.span);
    if (count !== undefined && !/^\d+$/.test(count)) return env.fail(`Invalid count: ${count}`, req.span);
    const period = count !== undefined ? Number(count) : defaultPeriod;
    if (period === 0) return env.fail('hardware probe count must be greater than 0', req.span);
    return [{ name: `hardware:${e.canonical}:${period}`, provider: 'hardware', section: 'perf_event', target: { config: e.config, period } }];
  },
  attach(probe, env) {
    const out: Attachment[] = [];
    for (const cpu of env.onlineCpus()) {
      const fd = env.perfEventOpen({ type: PERF_TYPE_HARDWARE, config: Number(probe.target.config), samplePeriod: Number(probe.target.period), cpu, pid: -1 });
      out.push(env.program.attachPerfEvent(fd));
    }
    return out;
  },
  explainFailure({ op, errno }) {
    if (op === 'attach' && (errno === 'ENOENT' || errno === 'EOPNOTSUPP' || errno === 'ENODEV')) {
      return 'this machine exposes no such hardware counter (no PMU, as in most virtual machines): try software:cpu-clock or profile instead';
    }
    return undefined;
  },
  list() {
    return Object.entries(events).filter(([n, e]) => n === e.canonical).map(([n]) => `hardware:${n}:`);
  },
};

export const hardwarePlugin = definePlugin('hardware', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(hardwareProvider);
});
