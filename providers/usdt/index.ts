// `usdt:binary:[provider:]probe` (`U`): user statically defined tracepoints
// from the binary's `.note.stapsdt` notes (wildcards expand over them, in
// the file path too). With -p PID the binary may be left out (`usdt::p:n`,
// `usdt:*:p:n`): every file the process maps is searched. Arguments come
// through libbpf's USDT support (`bpf_usdt_arg`), which decodes each probe
// site's argument locations at attach time.
import { definePlugin, Services, type AttachPointRequest, type ContextValue, type ExpandedProbe, type ProbeProvider, type ProviderEnv } from '../../sdk/index.ts';
import { elfUsdtProbes, globMatcher, hasWildcard, type UsdtProbe } from '../../lib/host/index.ts';
import { listedFiles, usdtTargets } from '../shared/user-targets.ts';
import { listingSearch } from '../shared/listing.ts';

/** The target, provider and probe of `usdt:target:[provider:]probe` (an empty provider is any). */
function split(req: AttachPointRequest): { target: string; provider: string; probe: string } | undefined {
  if (req.parts.length === 3) return { target: req.parts[0]!, provider: req.parts[1] || '*', probe: req.parts[2]! };
  if (req.parts.length === 2) return { target: req.parts[0]!, provider: '*', probe: req.parts[1]! };
  return undefined;
}

/** A file's USDT probes; a file some process maps need not be ELF, nor readable. */
function probesOf(path: string, env: ProviderEnv, req: AttachPointRequest, mustRead: boolean): UsdtProbe[] {
  try {
    return elfUsdtProbes(path);
  } catch (e) {
    if (mustRead) return env.fail((e as Error).message, req.span);
    return [];
  }
}
import { contextPointer } from '../shared/context-pointer.ts';

export const usdtProvider: ProbeProvider = {
  name: 'usdt',
  aliases: ['U'],
  listedIn: 'userspace',
  runsLastAttachedFirst: true,
  addressSpace: 'user',
  isPattern(req, env) {
    // As bpftrace: without a provider, or with -p, the match is a search.
    const s = split(req);
    return !s || req.parts.some(hasWildcard) || req.parts.length === 2 || !req.parts[1] || env.config.targetPid !== undefined;
  },
  expand(req, env) {
    const s = split(req);
    if (!s) return env.fail('usdt probes are usdt:binary:[provider:]name', req.span);
    if (!s.probe) return env.fail('usdt probe must have a target function or wildcard', req.span);
    const paths = usdtTargets(s.target, req, env);
    const providerRe = globMatcher(s.provider);
    const probeRe = globMatcher(s.probe);
    const mustRead = paths.length === 1 && env.config.targetPid === undefined;
    const out: ExpandedProbe[] = [];
    for (const path of paths) {
      for (const x of probesOf(path, env, req, mustRead)) {
        if (!providerRe.test(x.provider) || !probeRe.test(x.name)) continue;
        out.push({
          name: `usdt:${path}:${x.provider}:${x.name}`,
          provider: 'usdt',
          section: 'usdt',
          target: { binary: path, provider: x.provider, probe: x.name },
          // libbpf's USDT runtime: the spec maps and bpf_usdt_arg().
          cDeclarations: '#include <stdbool.h>\n#include <asm/ptrace.h>\n#include <bpf/usdt.bpf.h>\n',
        });
      }
    }
    return out;
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
  list(pattern, env) {
    // `path:provider:probe` strings, matched as bpftrace matches them (`*` spans colons).
    const { target, search: re } = listingSearch(pattern);
    const found: string[] = [];
    for (const path of listedFiles(target, env)) {
      let probes: UsdtProbe[];
      try {
        probes = elfUsdtProbes(path);
      } catch {
        continue;
      }
      for (const x of probes) {
        const entry = `${path}:${x.provider}:${x.name}`;
        if (re.test(entry) && !found.includes(entry)) found.push(entry);
      }
    }
    return found.map((f) => `usdt:${f}`);
  },
};

export const usdtPlugin = definePlugin('usdt', ({ bind }) => {
  bind(Services.ProbeProvider).toConstantValue(usdtProvider);
});
