// `kprobe[:module]:function[+offset]` (`k`) and `kretprobe[:module]:function`
// (`kr`): dynamic kernel probes. `arg0..arg5` come from the saved registers
// (x86-64 calling convention), `retval` from rax. Wildcards expand over
// tracefs' traceable functions, one program each.
import { contextPointer } from '../shared/context-pointer.ts';
import { registerContext } from '../shared/registers.ts';
import { definePlugin, Services, type ContextValue, type ExpandedProbe, type ProbeProvider } from '../../sdk/index.ts';
import { existsSync } from 'node:fs';
import { hasWildcard, matchFunctions } from '../../lib/host/index.ts';

function parseTarget(parts: string[]): { module?: string; fn: string; offset?: string } | string {
  const last = parts[parts.length - 1] ?? '';
  if (parts.length < 1 || parts.length > 2 || !last) return 'kprobe needs a function: kprobe[:module]:function[+offset]';
  const m = /^([^+]+)(?:\+(0x[0-9a-fA-F]+|\d+))?$/.exec(last);
  if (!m) return `Invalid kprobe target: ${last}`;
  return { ...(parts.length === 2 ? { module: parts[0] } : {}), fn: m[1], ...(m[2] ? { offset: m[2] } : {}) };
}

function kprobeProvider(ret: boolean): ProbeProvider {
  const name = ret ? 'kretprobe' : 'kprobe';
  return {
    name,
    aliases: [ret ? 'kr' : 'k'],
    firesForAllProcesses: true,
    expand(req, env) {
      const target = parseTarget(req.parts);
      if (typeof target === 'string') return env.fail(target, req.span);
      if (ret && target.offset) return env.fail('kretprobe does not take an offset', req.span);
      const fns = hasWildcard(target.fn) ? matchFunctions(env.tracefs.root, target.fn, target.module) : [target.fn];
      return fns.map((fn): ExpandedProbe => {
        const at = target.offset ? `${fn}+${target.offset}` : fn;
        return { name: `${name}:${target.module ? `${target.module}:` : ''}${at}`, provider: name, section: `${name}/${at}`, target: { function: fn, ...(target.offset ? { offset: target.offset } : {}) } };
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
      if (!existsSync('/sys/kernel/tracing/kprobe_events') && !existsSync('/sys/kernel/debug/tracing/kprobe_events')) {
        return 'this kernel was built without kprobes (CONFIG_KPROBES): use tracepoints, raw tracepoints or fentry instead';
      }
      if (errno === 'ENOENT') return 'the function is not traceable (inlined, static or not in available_filter_functions)';
      return undefined;
    },
    list(pattern, env) {
      const [a, b] = pattern.split(':');
      const fns = b === undefined ? matchFunctions(env.tracefs.root, a || '*') : matchFunctions(env.tracefs.root, b || '*', a);
      return fns.map((f) => `${name}:${f}`);
    },
  };
}

export const kprobePlugin = definePlugin('kprobe', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(kprobeProvider(false));
  bind(Services.ProbeProvider).toConstantValue(kprobeProvider(true));
});
