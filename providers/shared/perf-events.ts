// Perf-event providers: `software:event[:count]` and `hardware:event[:count]`
// share their syntax, expansion and attaching (one event per online CPU,
// sampled every `count` events; with -p/-c only the target process's); they
// differ in the perf type and event table. The probe is named as written
// (`software:cpu:100000`, an alias stays an alias), as bpftrace names it.
import { contextPointer } from './context-pointer.ts';
import type { AttachEnv, Attachment, PerfEventOptions, ProbeProvider, ProviderEnv } from '../../sdk/index.ts';
import { toUint } from '../../lib/numbers/index.ts';
import { plainSearch } from './listing.ts';

/**
 * Opens one perf event per online CPU and attaches the program to each; the
 * events count the -p/-c process only when there is one (the kernel does the
 * filtering, as bpftrace has it do).
 */
export function attachOnEveryCpu(env: AttachEnv, event: Omit<PerfEventOptions, 'cpu' | 'pid'>): Attachment[] {
  const out: Attachment[] = [];
  for (const cpu of env.onlineCpus()) {
    const fd = env.perfEventOpen({ ...event, cpu, pid: env.targetPid ?? -1 });
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
    listedIn: 'kernel',
    expand(req, env: ProviderEnv) {
      const [event, count] = req.parts;
      if (!event || req.parts.length > 2) return env.fail(`${spec.name} probes take an event and an optional count: ${spec.example}`, req.span);
      const e = byName.get(event);
      if (!e) return env.fail(`${event} is not a ${spec.name} probe. Valid events: ${validNames}`, req.span);
      const parsed = count ? toUint(count) : undefined;
      if (parsed && !parsed.ok) return env.fail(`Invalid count: ${parsed.error}`, req.span);
      const given = parsed?.ok ? parsed.value : undefined;
      if (given === 0n) return env.fail(`${spec.name} probe count must be greater than 0`, req.span);
      const period = given !== undefined ? Number(given) : e.period;
      return [{ name: `${spec.name}:${event}${given !== undefined ? `:${given}` : ''}`, provider: spec.name, section: 'perf_event', target: { config: e.config, period } }];
    },
    contextValue(id, _probe, env) {
      return contextPointer(id, undefined, env);
    },
    attach(probe, env) {
      return attachOnEveryCpu(env, { type: spec.perfType, config: Number(probe.target.config), samplePeriod: Number(probe.target.period) });
    },
    ...(spec.explainFailure ? { explainFailure: spec.explainFailure } : {}),
    list(pattern) {
      // Every name of every event (`cpu-clock:`, `cpu:`), matched by the pattern.
      const search = plainSearch(pattern);
      return spec.events.flatMap((e) => e.names.map((n) => `${n}:`)).filter((n) => search.test(n)).map((n) => `${spec.name}:${n}`);
    },
    listedName(probe) {
      return `${spec.name}:${probe.name.split(':')[1]}:`;
    },
  };
}
