// Perf-event providers: `software:event[:count]` and `hardware:event[:count]`
// share their syntax, expansion and attaching (one event per online CPU,
// sampled every `count` events); they differ in the perf type and event table.
import { contextPointer } from './context-pointer.ts';
import type { AttachEnv, Attachment, PerfEventOptions, ProbeProvider, ProviderEnv } from '../../sdk/index.ts';

/** Opens one perf event per online CPU (all processes) and attaches the program to each. */
export function attachOnEveryCpu(env: AttachEnv, event: Omit<PerfEventOptions, 'cpu' | 'pid'>): Attachment[] {
  const out: Attachment[] = [];
  for (const cpu of env.onlineCpus()) {
    const fd = env.perfEventOpen({ ...event, cpu, pid: -1 });
    out.push(env.program.attachPerfEvent(fd));
  }
  return out;
}

export interface CounterEvent {
  /** The canonical name first, then aliases (`['page-faults', 'faults']`). */
  names: string[];
  /** perf_event_attr.config */
  config: number;
  /** Sample period when the attach point gives no count. */
  period: number;
}

export interface CounterProviderSpec {
  name: 'software' | 'hardware';
  alias: string;
  perfType: number;
  events: CounterEvent[];
  /** An attach point to show in messages (`software:page-faults:100`). */
  example: string;
  explainFailure?: ProbeProvider['explainFailure'];
}

export function counterProvider(spec: CounterProviderSpec): ProbeProvider {
  const byName = new Map<string, CounterEvent>();
  for (const e of spec.events) for (const n of e.names) byName.set(n, e);
  const validNames = [...byName.keys()].join(', ');
  return {
    name: spec.name,
    aliases: [spec.alias],
    expand(req, env: ProviderEnv) {
      const [event, count] = req.parts;
      if (!event || req.parts.length > 2) return env.fail(`${spec.name} probes take an event and an optional count: ${spec.example}`, req.span);
      const e = byName.get(event);
      if (!e) return env.fail(`${event} is not a ${spec.name} probe. Valid events: ${validNames}`, req.span);
      if (count !== undefined && !/^\d+$/.test(count)) return env.fail(`Invalid count: ${count}`, req.span);
      const period = count !== undefined ? Number(count) : e.period;
      if (period === 0) return env.fail(`${spec.name} probe count must be greater than 0`, req.span);
      return [{ name: `${spec.name}:${e.names[0]}:${period}`, provider: spec.name, section: 'perf_event', target: { config: e.config, period } }];
    },
    contextValue(id, _probe, env) {
      return contextPointer(id, undefined, env);
    },
    attach(probe, env) {
      return attachOnEveryCpu(env, { type: spec.perfType, config: Number(probe.target.config), samplePeriod: Number(probe.target.period) });
    },
    ...(spec.explainFailure ? { explainFailure: spec.explainFailure } : {}),
    list() {
      return spec.events.map((e) => `${spec.name}:${e.names[0]}:`);
    },
  };
}
