// `uprobe:binary:function[+offset]` (`u`), `uprobe:binary:0xOFFSET`, and
// `uretprobe:binary:function` (`ur`): user-space probes. The binary is a path
// or a library name (`libc`); functions come from its ELF symbols (wildcards
// expand over them). `arg0..arg5` and `retval` are read from the saved
// registers (x86-64 calling convention). With -p/-c, only that process.
import { contextPointer } from '../shared/context-pointer.ts';
import { registerContext } from '../shared/registers.ts';
import { definePlugin, Services, type ContextValue, type ExpandedProbe, type ProbeProvider } from '../../sdk/index.ts';
import { elfFunctions, hasWildcard, matchElfFunctions, resolveBinary } from '../../lib/host/index.ts';

/** The function whose code holds file offset `offset` of `binary` (what `func` names), if any. */
function functionAt(binary: string, offset: number): string | undefined {
  try {
    return elfFunctions(binary).find((s) => offset >= s.offset && offset < s.offset + Math.max(1, Number(s.size)))?.name;
  } catch {
    return undefined;
  }
}

function uprobeProvider(ret: boolean): ProbeProvider {
  const name = ret ? 'uretprobe' : 'uprobe';
  return {
    name,
    aliases: [ret ? 'ur' : 'u'],
    expand(req, env) {
      if (req.parts.length !== 2 || !req.parts[0] || !req.parts[1]) return env.fail(`${name} needs a binary and a function: ${name}:/bin/bash:readline`, req.span);
      const [binaryArg, fnArg] = req.parts;
      const binary = resolveBinary(binaryArg);
      if (!binary) return env.fail(`Could not find binary or library: ${binaryArg}`, req.span);
      const raw = /^0x[0-9a-fA-F]+$/.exec(fnArg);
      if (raw) {
        if (ret) return env.fail('uretprobe needs a function, not an address', req.span);
        const offset = Number(BigInt(fnArg));
        const fn = functionAt(binary, offset);
        return [{ name: `${name}:${binary}:${fnArg}`, provider: name, section: ret ? 'uretprobe' : 'uprobe', target: { binary, offset, ...(fn ? { function: fn } : {}) } }];
      }
      const m = /^([^+]+)(?:\+(0x[0-9a-fA-F]+|\d+))?$/.exec(fnArg);
      if (!m) return env.fail(`Invalid ${name} target: ${fnArg}`, req.span);
      if (ret && m[2]) return env.fail('uretprobe does not take an offset', req.span);
      let symbols;
      try {
        symbols = matchElfFunctions(binary, m[1]);
      } catch (e) {
        return env.fail((e as Error).message, req.span);
      }
      if (!hasWildcard(m[1]) && symbols.length === 0) return env.fail(`Could not resolve symbol: ${binary}:${m[1]}`, req.span);
      const extra = m[2] ? Number(m[2]) : 0;
      return symbols.map((s): ExpandedProbe => ({
        name: `${name}:${binary}:${s.name}${m[2] ? `+${m[2]}` : ''}`,
        provider: name,
        section: ret ? 'uretprobe' : 'uprobe',
        target: { binary, offset: s.offset + extra, function: s.name },
      }));
    },
    contextValue(id, _probe, env): ContextValue | undefined {
      return registerContext(id, ret) ?? contextPointer(id, 'struct pt_regs', env);
    },
    attach(probe, env) {
      return [env.program.attachUprobe(ret, env.targetPid ?? -1, String(probe.target.binary), Number(probe.target.offset))];
    },
    list(pattern, env) {
      const [bin, fn = '*'] = pattern.split(':');
      const binary = bin ? resolveBinary(bin) : undefined;
      if (!binary) return [];
      try {
        return matchElfFunctions(binary, fn).map((s) => `${name}:${binary}:${s.name}`);
      } catch {
        return [];
      }
    },
  };
}

export const uprobePlugin = definePlugin('uprobe', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(uprobeProvider(false));
  bind(Services.ProbeProvider).toConstantValue(uprobeProvider(true));
});
