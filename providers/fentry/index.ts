// `fentry[:module]:function` (`f`, `kfunc`) and `fexit` (`fr`, `kretfunc`):
// BPF trampolines on kernel functions, with `args` typed from the function's
// BTF prototype and, for fexit, a typed `retval`. The context is the array
// of u64 argument slots (then the return value), read directly.
import { definePlugin, Services, type ContextValue, type ExpandedProbe, type KernelTypes, type ProbeProvider, type ValueType } from '../../sdk/index.ts';
import { hasWildcard, matchFunctions, selectFunctions } from '../../lib/host/index.ts';
import { listedFunctions } from '../shared/traceable-listing.ts';

function argsRecord(fn: string, params: { name: string; type: ValueType }[]): ValueType {
  return {
    kind: 'struct',
    name: `struct bs_fentry__${fn.replace(/\W/g, '_')}`,
    fields: params.map((p, i) => ({ name: p.name, type: p.type, offset: i * 8 })),
    size: Math.max(8, params.length * 8),
  };
}

function signature(kernelTypes: KernelTypes, fn: string) {
  return kernelTypes.functionSignature(fn);
}

function fentryProvider(exit: boolean): ProbeProvider {
  const name = exit ? 'fexit' : 'fentry';
  return {
    name,
    aliases: exit ? ['fr', 'kretfunc'] : ['f', 'kfunc'],
    firesForAllProcesses: true,
    ...(exit ? {} : { listedIn: 'kernel' as const }),
    runsLastAttachedFirst: true,
    expand(req, env) {
      const fnPattern = req.parts[req.parts.length - 1];
      if (req.parts.length < 1 || req.parts.length > 2 || !fnPattern) return env.fail(`${name} needs a function: ${name}[:module]:function`, req.span);
      const module = req.parts.length === 2 ? req.parts[0] : undefined;
      const fns = hasWildcard(fnPattern) ? matchFunctions(env.tracefs.root, fnPattern, module) : [fnPattern];
      const out: ExpandedProbe[] = [];
      for (const fn of fns) {
        // A function without a BTF prototype cannot be traced this way: it matches nothing.
        if (!signature(env.kernelTypes, fn)) continue;
        out.push({ name: `${name}:${module ? `${module}:` : ''}${fn}`, provider: name, section: `${name}/${fn}`, target: { function: fn } });
      }
      return out;
    },
    contextValue(id, probe, env): ContextValue | undefined {
      const sig = signature(env.kernelTypes, String(probe.target.function));
      if (!sig) return undefined;
      if (id === 'args') {
        const t = argsRecord(String(probe.target.function), sig.params);
        return { type: t, c: `(*(${(t as { name: string }).name} *)ctx)` };
      }
      if (id === 'retval' && exit && sig.returnType.kind !== 'none') {
        return { type: sig.returnType, c: `(*(__u64 *)((char *)ctx + ${sig.params.length * 8}))` };
      }
      return undefined;
    },
    attach(_probe, env) {
      return [env.program.attachAuto()];
    },
    explainFailure({ op, errno }) {
      if (op === 'load' && (errno === 'EPERM' || errno === 'ENOTSUPP' || errno === 'EOPNOTSUPP' || errno === 'EINVAL')) {
        return `${name} programs run on BPF trampolines, which this kernel refuses (function tracing is blocked or unsupported): use tracepoints or raw tracepoints instead`;
      }
      return undefined;
    },
    describeArguments(probeName, env) {
      const sig = signature(env.kernelTypes, probeName.split(':').pop()!);
      if (!sig) return [];
      const lines = sig.params.map((p) => `    ${p.cType ?? p.type.kind} ${p.name}`);
      if (exit && sig.returnType.kind !== 'none') lines.push(`    ${sig.returnCType ?? sig.returnType.kind} retval`);
      return lines;
    },
    list(pattern, env) {
      // Traceable functions with a BTF prototype (what a trampoline needs).
      return selectFunctions(listedFunctions(env), pattern.split(':').pop() || '*')
        .filter((f) => env.kernelTypes.hasFunction?.(f) ?? env.kernelTypes.functionSignature(f) !== undefined)
        .map((f) => `${name}:${f}`);
    },
  };
}

export const fentryPlugin = definePlugin('fentry', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(fentryProvider(false));
  bind(Services.ProbeProvider).toConstantValue(fentryProvider(true));
});
