// `tracepoint:category:event` (alias `t`), wildcards in both parts; `args` is
// typed from the tracepoint's format file.
import { definePlugin, Services, type ExpandedProbe, type ProbeProvider, type ProviderEnv } from '../../sdk/index.ts';
import { tracepointArgs, tracepointArgsC, tracepointStructName } from './args.ts';
import { syscallHook } from './syscall-hooks.ts';
import { listingSearch } from '../shared/listing.ts';

/**
 * Categories whose events have no raw tracepoint of the same name: the syscall
 * events are fed by raw_syscalls' two hooks, ftrace's are internal, user
 * events are made at run time.
 */
const NO_RAW_TRACEPOINT = new Set(['syscalls', 'ftrace', 'user_events']);

/** Whether the event is a TRACE_EVENT, with a raw tracepoint of its own name that runs at the same place. */
function hasRawTracepoint(env: ProviderEnv, category: string, event: string): boolean {
  return !NO_RAW_TRACEPOINT.has(category) && env.tracefs.isDynamicEvent !== undefined && !env.tracefs.isDynamicEvent(category, event);
}

export const tracepointProvider: ProbeProvider = {
  name: 'tracepoint',
  aliases: ['t'],
  firesForAllProcesses: true,
  listedIn: 'kernel',
  expand(req, env) {
    if (req.parts.length !== 2 || !req.parts[0] || !req.parts[1]) {
      env.fail('tracepoint probe must have 2 targets, e.g. tracepoint:syscalls:sys_enter_openat', req.span);
    }
    const unmounted = env.tracefs.unavailable?.();
    if (unmounted) env.fail(unmounted, req.span);
    const [catGlob, evGlob] = req.parts;
    const found = env.tracefs.listTracepoints(catGlob, evGlob);
    return found.map(({ category, event }): ExpandedProbe => {
      const hook = category === 'syscalls' ? syscallHook(event, tracepointStructName(category, event), env.tracefs.kernelRelease?.()) : undefined;
      return {
        name: `tracepoint:${category}:${event}`,
        provider: 'tracepoint',
        section: `tracepoint/${category}/${event}`,
        target: { category, event },
        ...(hasRawTracepoint(env, category, event) ? { contextFreeSection: `raw_tp/${event}` } : {}),
        ...(hook ? { sharedHook: hook } : {}),
      };
    });
  },
  contextValue(name, probe, env) {
    if (name !== 'args') return undefined;
    const args = tracepointArgs(env.tracefs.format(String(probe.target.category), String(probe.target.event)), env.kernelTypes);
    return { type: args.type, ...tracepointArgsC((args.type as { name: string }).name) };
  },
  attach(probe, env) {
    // Compiled for a raw tracepoint where the program never reads the trace
    // record (contextFreeSection), or where it shares raw_syscalls' hook (sharedHook).
    if (probe.section.startsWith('raw_tp/')) return [env.program.attachRawTracepoint(probe.section.slice('raw_tp/'.length))];
    return [env.program.attachTracepoint(String(probe.target.category), String(probe.target.event))];
  },
  describeArguments(probeName, env) {
    const m = /^tracepoint:([^:]+):(.+)$/.exec(probeName);
    if (!m) return [];
    const out: string[] = [];
    for (const f of env.tracefs.format(m[1], m[2]).fields) {
      if (f.name.startsWith('common_')) continue;
      const array = f.arrayLength !== undefined ? /^(.*?)\s*\[(\d*)\]$/.exec(f.cType) : null;
      out.push(array ? `    ${array[1]} ${f.name}[${array[2]}]` : `    ${f.cType} ${f.name}`);
    }
    return out;
  },
  list(pattern, env) {
    const unmounted = env.tracefs.unavailable?.();
    if (unmounted) throw new Error(unmounted);
    const { search } = listingSearch(pattern);
    return env.tracefs.listTracepoints('*', '*').filter((t) => search.test(`${t.category}:${t.event}`)).map((t) => `tracepoint:${t.category}:${t.event}`);
  },
};

export const tracepointPlugin = definePlugin('tracepoint', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(tracepointProvider);
});
