// `kprobe[:module]:function[+offset]` (`k`), `kprobe:address` and
// `kretprobe[:module]:function` (`kr`): dynamic kernel probes. `arg0..arg5`
// come from the saved registers (x86-64 calling convention), `retval` from
// rax. Functions are checked against the traceable ones (tracefs'
// available_filter_functions, or --traceable-functions FILE); wildcards
// expand over them, one program each. Without --unsafe, a function that is
// not traceable matches nothing (missing_probes says what that means).
import { contextPointer } from '../shared/context-pointer.ts';
import { registerContext } from '../shared/registers.ts';
import { definePlugin, Services, type ContextValue, type ExpandedProbe, type KernelParam, type ProbeProvider, type ProviderEnv } from '../../sdk/index.ts';
import { hasWildcard, kernelHasKprobes, loadedModules, matchFunctions, selectFunctions, selectModuleFunctions } from '../../lib/host/index.ts';
import { listedFunctions } from '../shared/traceable-listing.ts';

/** Why `-l` lists no kprobes on a kernel without them (the traceable functions are listed anyway with --traceable-functions). */
const NO_KPROBES = 'this kernel was built without kprobes (CONFIG_KPROBES): kprobe and kretprobe probes cannot attach here and are not listed';

function parseTarget(parts: string[]): { module?: string; fn: string; offset?: string } | string {
  const last = parts[parts.length - 1] ?? '';
  if (parts.length < 1 || parts.length > 2 || !last) return 'kprobe needs a function: kprobe[:module]:function[+offset]';
  const m = /^([^+]+)(?:\+(0x[0-9a-fA-F]+|\d+))?$/.exec(last);
  if (!m) return `Invalid kprobe target: ${last}`;
  return { ...(parts.length === 2 ? { module: parts[0] } : {}), fn: m[1]!, ...(m[2] ? { offset: m[2] } : {}) };
}

/** Traceable functions matching a glob (in a module); throws when --traceable-functions' file cannot be read. */
function traceable(env: ProviderEnv, glob: string, module: string | undefined): string[] {
  return matchFunctions(env.tracefs.root, glob, module, env.config.traceableFunctions);
}

/** Floating-point parameters travel in their own registers: they take no argN. */
const floating = /^(float|double|long double)$/;

function kprobeProvider(ret: boolean): ProbeProvider {
  const name = ret ? 'kretprobe' : 'kprobe';
  return {
    name,
    aliases: [ret ? 'kr' : 'k'],
    firesForAllProcesses: true,
    ...(ret ? {} : { listedIn: 'kernel' as const, runsLastAttachedFirst: true }),
    expand(req, env) {
      const target = parseTarget(req.parts);
      if (typeof target === 'string') return env.fail(target, req.span);
      if (ret && target.offset) return env.fail('kretprobe does not take an offset', req.span);
      const { module, fn, offset } = target;
      if (module !== undefined && module !== 'vmlinux' && !hasWildcard(module) && !loadedModules().has(module)) {
        return env.fail(`specified module ${module} in probe ${name}:${module}:${fn} is not loaded.`, req.span);
      }
      const address = /^(0x[0-9a-fA-F]+|\d+)$/.test(fn) && module === undefined;
      let fns: string[];
      try {
        fns = address ? [fn] : traceable(env, fn, module);
      } catch (e) {
        return env.fail((e as Error).message, req.span);
      }
      if (!address && !hasWildcard(fn) && fns.length === 0) {
        if (env.config.missingProbes !== 'ignore') {
          env.warn(`${fn} is not traceable (either non-existing, inlined, or marked as "notrace"); attaching to it will likely fail`, req.span);
        }
        // --unsafe attaches anyway (the kernel has the last word).
        if (env.config.unsafe) fns = [fn];
      }
      return fns.map((f): ExpandedProbe => {
        const at = offset ? `${f}+${offset}` : f;
        // As bpftrace names them: an address in decimal, an offset in decimal when not 0.
        const shown = address ? String(BigInt(f)) : offset && BigInt(offset) !== 0n ? `${f}+${BigInt(offset)}` : f;
        return { name: `${name}:${module ? `${module}:` : ''}${shown}`, provider: name, section: `${name}/${at}`, target: { function: f, ...(offset ? { offset } : {}) } };
      });
    },
    contextValue(id, _probe, env): ContextValue | undefined {
      return registerContext(id, ret) ?? contextPointer(id, 'struct pt_regs', env);
    },
    attach(_probe, env) {
      return [env.program.attachAuto()];
    },
    explainFailure({ op, errno }) {
      if (op !== 'attach') return undefined;
      if (!kernelHasKprobes()) {
        return 'this kernel was built without kprobes (CONFIG_KPROBES): use tracepoints, raw tracepoints or fentry instead';
      }
      if (errno === 'ENOENT') return 'the function is not traceable (inlined, static or not in available_filter_functions)';
      return undefined;
    },
    describeArguments(probeName, env) {
      // As bpftrace: the BTF prototype's parameters as arg0, arg1... (floats take no argN), or the return type.
      const sig = env.kernelTypes.functionSignature(probeName.split(':').pop()!.replace(/\+.*$/, ''));
      if (!sig) return [];
      if (ret) return [sig.returnType.kind === 'none' ? '    void' : `    ${sig.returnCType ?? sig.returnType.kind} retval`];
      return sig.params.filter((p: KernelParam) => !floating.test(p.cType ?? '')).map((p, i) => `    ${p.cType ?? p.type.kind} arg${i}`);
    },
    list(pattern, env) {
      // `kprobe:FUNCTION` matches function names; `kprobe:MODULE:FUNCTION` matches `module:function`.
      if (env.config.traceableFunctions === undefined && !env.tracefs.unavailable?.() && !kernelHasKprobes(env.tracefs.root)) {
        env.warn(NO_KPROBES);
        return [];
      }
      const functions = listedFunctions(env);
      if (!pattern.includes(':')) return selectFunctions(functions, pattern || '*').map((f) => `${name}:${f}`);
      return selectModuleFunctions(functions, pattern).map((f) => `${name}:${f}`);
    },
  };
}

export const kprobePlugin = definePlugin('kprobe', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(kprobeProvider(false));
  bind(Services.ProbeProvider).toConstantValue(kprobeProvider(true));
});
