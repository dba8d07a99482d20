// `rawtracepoint[:module]:event` (alias `rt`): `arg0..argN` as u64, and `args`
// typed from the kernel's BTF.
import { definePlugin, Services, type ContextValue, type KernelTypes, type ProbeProvider, type ProviderEnv, type ValueType } from '../../sdk/index.ts';
import { globMatcher, hasWildcard, loadedModules } from '../../lib/host/index.ts';

const MAX_ARGS = 12;

/**
 * `args` of a raw tracepoint, typed from BTF (`btf_trace_<event>`): each
 * argument sits in its own u64 slot of the context, so the record's fields
 * are at 8-byte steps and read straight from it.
 */
function typedArgs(event: string, kernelTypes: KernelTypes): ContextValue | undefined {
  const args = kernelTypes.rawTracepointArgs(event);
  if (!args) return undefined;
  const name = `struct bs_rawtp__${event.replace(/\W/g, '_')}`;
  const type: ValueType = {
    kind: 'struct',
    name,
    fields: args.map((a, i) => ({ name: a.name, type: a.type, offset: i * 8 })),
    size: args.length * 8,
  };
  return { type, c: `(*(${name} *)ctx)` };
}

/**
 * The kernel's raw tracepoints: its `btf_trace_` typedefs (tracefs' events
 * also name syscall and dynamic events, which have none); tracefs' events
 * where the kernel has no BTF.
 */
function kernelRawTracepoints(env: ProviderEnv): { module: string; event: string }[] {
  const fromBtf = env.kernelTypes.available ? env.kernelTypes.rawTracepoints?.() : undefined;
  return fromBtf ?? env.tracefs.listRawTracepoints('*').map((event) => ({ module: 'vmlinux', event }));
}

/** Raw tracepoint names matching a glob, sorted. */
function matchingRawTracepoints(env: ProviderEnv, glob: string): string[] {
  const re = globMatcher(glob);
  return [...new Set(kernelRawTracepoints(env).map((t) => t.event).filter((e) => re.test(e)))].sort();
}

export const rawTracepointProvider: ProbeProvider = {
  name: 'rawtracepoint',
  aliases: ['rt'],
  firesForAllProcesses: true,
  listedIn: 'kernel',
  // As bpftrace: without a module, the event is looked for in every module, so matching nothing is the probe's problem.
  isPattern(req) {
    return req.parts.length < 2 || req.parts.some(hasWildcard);
  },
  expand(req, env) {
    if (req.parts.length < 1 || req.parts.length > 2 || !req.parts[req.parts.length - 1]) {
      env.fail('rawtracepoint probe must have an event: rawtracepoint[:module]:event', req.span);
    }
    const event = req.parts[req.parts.length - 1]!;
    const module = req.parts.length === 2 ? req.parts[0]! : undefined;
    if (module !== undefined && ![...loadedModules()].some((m) => globMatcher(module).test(m))) return [];
    // Wildcards are matched against tracefs' events; a plain name needs no tracefs.
    const unmounted = env.tracefs.unavailable?.();
    if (unmounted && hasWildcard(event)) env.fail(unmounted, req.span);
    let names: string[];
    if (hasWildcard(event)) names = matchingRawTracepoints(env, event);
    else if (unmounted) names = [event];
    else {
      // A raw tracepoint needs no trace event (`btf_trace_NAME` in BTF is enough).
      const exists = env.tracefs.listRawTracepoints(event).length > 0 || env.kernelTypes.rawTracepointArgs(event) !== undefined;
      names = exists ? [event] : [];
    }
    return names.map((name) => ({
      name: `rawtracepoint:${name}`,
      provider: 'rawtracepoint',
      section: `raw_tp/${name}`,
      target: { event: name },
    }));
  },
  contextValue(name, probe, env) {
    if (name === 'args') return typedArgs(String(probe.target.event), env.kernelTypes);
    const m = /^arg(\d+)$/.exec(name);
    if (!m || Number(m[1]) >= MAX_ARGS) return undefined;
    return { type: { kind: 'int', size: 8, signed: false }, c: `(((__u64 *)ctx)[${m[1]}])` };
  },
  attach(probe, env) {
    return [env.program.attachRawTracepoint(String(probe.target.event))];
  },
  describeArguments(probeName, env) {
    const args = env.kernelTypes.rawTracepointArgs(probeName.replace(/^rawtracepoint:(.*:)?/, ''));
    return (args ?? []).map((a) => `    ${a.cType ?? a.type.kind} ${a.name}`);
  },
  list(pattern, env) {
    const unmounted = env.tracefs.unavailable?.();
    if (unmounted) throw new Error(unmounted);
    // `rawtracepoint:EVENT`, or `rawtracepoint:MODULE:EVENT`.
    const search = pattern.includes(':') ? globMatcher(pattern) : globMatcher(`*:${pattern || '*'}`);
    return [...new Set(kernelRawTracepoints(env).filter((t) => search.test(`${t.module}:${t.event}`)).map((t) => t.event))].sort().map((n) => `rawtracepoint:${n}`);
  },
};

export const rawTracepointPlugin = definePlugin('rawtracepoint', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(rawTracepointProvider);
});
