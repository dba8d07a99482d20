// `uprobe:binary:function[+offset]` (`u`), `uprobe:binary:address`,
// `uprobe:binary@file.c:LINE`, and `uretprobe:binary:function` (`ur`):
// user-space probes. The binary is a path (wildcards expand), a program or
// library name (`bash`, `libc`), or `*` (with -p, every file the process
// maps); functions come from its ELF symbols (wildcards expand over them),
// source lines from its DWARF. `arg0..arg5` and `retval` are read from the
// saved registers (x86-64 calling convention), `args` by parameter name from
// DWARF (args.ts). With -p/-c, only that process.
import { registerContext } from '../shared/registers.ts';
import { definePlugin, RuntimeError, Services, type ContextValue, type ProbeProvider } from '../../sdk/index.ts';
import { expandUprobe } from './expand.ts';
import { listUprobes } from './list.ts';
import { describeUprobeArguments, uprobeArgs } from './args.ts';
import { expandSourceLocation, isSourceLocation } from './source-line.ts';
import { uprobeTypesTap } from './types-tap.ts';
import { contextPointer } from '../shared/context-pointer.ts';

function uprobeProvider(ret: boolean): ProbeProvider {
  const name = ret ? 'uretprobe' : 'uprobe';
  return {
    name,
    aliases: [ret ? 'ur' : 'u'],
    ...(ret ? {} : { listedIn: 'userspace' as const }),
    runsLastAttachedFirst: true,
    addressSpace: 'user',
    expand(req, env) {
      if (isSourceLocation(req)) return expandSourceLocation(req, env, name);
      return expandUprobe(name, req, env);
    },
    contextValue(id, probe, env): ContextValue | undefined {
      if (id === 'args' && !ret) return uprobeArgs(probe, env);
      return registerContext(id, ret) ?? contextPointer(id, 'struct pt_regs', env);
    },
    describeArguments(probeName, env) {
      return describeUprobeArguments(probeName, env);
    },
    attach(probe, env) {
      // What bpftrace refuses at attach time (see expand.ts) is refused here too.
      if (probe.target.attachError !== undefined) {
        throw new RuntimeError(String(probe.target.attachError), { op: name, errno: 22, code: 'EINVAL' });
      }
      const pid = env.targetPid ?? -1;
      if (probe.section === `${name}.multi`) {
        // The probes of the program, each at its offset with the cookie the program runs it by.
        const members = env.programProbes ?? [probe];
        const refused = env.probeRefused && ((i: number, e: RuntimeError) => env.probeRefused!(members[i]!, e));
        return [env.program.attachUprobeMulti(ret, pid, String(probe.target.binary), members.map((p) => Number(p.target.offset)), members.map((p) => p.cookie ?? 0), refused)];
      }
      return [env.program.attachUprobe(ret, pid, String(probe.target.binary), Number(probe.target.offset))];
    },
    list(pattern, env) {
      return listUprobes(name, pattern, env);
    },
  };
}

export const uprobePlugin = definePlugin('uprobe', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(uprobeProvider(false));
  bind(Services.ProbeProvider).toConstantValue(uprobeProvider(true));
  bind(Services.HookTap).toConstantValue(uprobeTypesTap);
});
