// `usdt:binary:[provider:]probe` (`U`): user statically defined tracepoints
// from the binary's `.note.stapsdt` notes (wildcards expand over them).
// Arguments come through libbpf's USDT support (`bpf_usdt_arg`), which
// decodes each probe site's argument locations at attach time.
import { contextPointer } from '../shared/context-pointer.ts';
import { definePlugin, Services, type ContextValue, type ExpandedProbe, type ProbeProvider } from '../../sdk/index.ts';
import { elfUsdtProbes, globToRegExp, resolveBinary } from '../../lib/host/index.ts';

export const usdtProvider: ProbeProvider = {
  name: 'usdt',
  aliases: ['U'],
  expand(req, env) {
    if (req.parts.length < 2 || req.parts.length > 3) return env.fail('usdt probes are usdt:binary:[provider:]name', req.span);
    const binary = resolveBinary(req.parts[0]);
    if (!binary) return env.fail(`Could not find binary or library: ${req.parts[0]}`, req.span);
    const [providerGlob, nameGlob] = req.parts.length === 3 ? [req.parts[1], req.parts[2]] : ['*', req.parts[1]];
    let probes;
    try {
      probes = elfUsdtProbes(binary);
    } catch (e) {
      return env.fail((e as Error).message, req.span);
    }
    const p = globToRegExp(providerGlob);
    const n = globToRegExp(nameGlob);
    const matched = probes.filter((x) => p.test(x.provider) && n.test(x.name));
    if (matched.length === 0 && !/[*?[]/.test(req.parts.slice(1).join(':'))) return env.fail(`No USDT probe ${req.parts.slice(1).join(':')} in ${binary}`, req.span);
    return matched.map((x): ExpandedProbe => ({
      name: `usdt:${binary}:${x.provider}:${x.name}`,
      provider: 'usdt',
      section: 'usdt',
      target: { binary, provider: x.provider, probe: x.name },
      // libbpf's USDT runtime: the spec maps and bpf_usdt_arg().
      cDeclarations: '#include <stdbool.h>\n#include <asm/ptrace.h>\n#include <bpf/usdt.bpf.h>\n',
    }));
  },
  contextValue(id, _probe, env): ContextValue | undefined {
    if (id === 'ctx') return contextPointer(id, 'struct pt_regs', env);
    const m = /^arg(\d+)$/.exec(id);
    if (!m || Number(m[1]) >= 12) return undefined;
    return { type: { kind: 'int', size: 8, signed: true }, c: `({ long __usdt_arg = 0; bpf_usdt_arg(ctx, ${m[1]}, &__usdt_arg); (__s64)__usdt_arg; })` };
  },
  attach(probe, env) {
    return [env.program.attachUsdt(env.targetPid ?? -1, String(probe.target.binary), String(probe.target.provider), String(probe.target.probe))];
  },
  list(pattern) {
    const [bin, a = '*', b] = pattern.split(':');
    const binary = bin ? resolveBinary(bin) : undefined;
    if (!binary) return [];
    const [pg, ng] = b === undefined ? ['*', a] : [a, b];
    try {
      return elfUsdtProbes(binary).filter((x) => globToRegExp(pg).test(x.provider) && globToRegExp(ng).test(x.name)).map((x) => `usdt:${binary}:${x.provider}:${x.name}`);
    } catch {
      return [];
    }
  },
};

export const usdtPlugin = definePlugin('usdt', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(usdtProvider);
});
