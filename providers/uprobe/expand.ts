// Expanding `uprobe:TARGET:FUNCTION[+OFFSET]` and `uprobe:TARGET:ADDRESS`:
// each target file's function symbols matching FUNCTION, one probe each.
// What bpftrace refuses when it attaches (a symbol of size 0, an offset past
// the function's end, an address in no function) is carried to attach as the
// probe's `attachError`, so it is reported there, as upstream reports it.
import type { AttachPointRequest, ExpandedProbe, ProviderEnv } from '../../sdk/index.ts';
import { ElfError, elfFunctions, hasWildcard, matchElfFunctions, namedFunction, type ElfSymbol } from '../../lib/host/index.ts';
import { uprobeTargets } from '../shared/user-targets.ts';

const unsafeHint = '\nUse --unsafe to force attachment. WARNING: This option could lead to data corruption in the target process.';

type FunctionSpec = { address: bigint } | { glob: string; offset: number };

function parseFunction(text: string): FunctionSpec | undefined {
  if (/^(0x[0-9a-fA-F]+|\d+)$/.test(text)) return { address: BigInt(text) };
  const m = /^([^+]+)(?:\+(0x[0-9a-fA-F]+|\d+))?$/.exec(text);
  if (!m) return undefined;
  return { glob: m[1]!, offset: m[2] ? Number(m[2]) : 0 };
}

/** Why attaching at `offset` bytes into `sym` would be refused (bpftrace's checks), or undefined. */
function boundaryProblem(sym: ElfSymbol, offset: number, unsafe: boolean): string | undefined {
  if (sym.size === 0n && offset === 0) return unsafe ? undefined : `Could not determine boundary for ${sym.name} (symbol has size 0).${unsafeHint}`;
  if (BigInt(offset) >= sym.size) return `Offset outside the function bounds ('${sym.name}' size is ${sym.size})`;
  return undefined;
}

function symbolProbe(name: string, path: string, sym: ElfSymbol, offset: number, suffix: string, unsafe: boolean): ExpandedProbe {
  const problem = boundaryProblem(sym, offset, unsafe);
  return {
    name: `${name}:${path}:${sym.name}${suffix}`,
    provider: name,
    section: name,
    target: { binary: path, offset: sym.offset + offset, function: sym.name, ...(problem ? { attachError: problem } : {}) },
  };
}

/** A probe at an address: inside a function it is that function plus an offset; elsewhere only --unsafe allows it. */
function addressProbe(name: string, path: string, address: bigint, env: ProviderEnv): ExpandedProbe {
  const unsafe = env.config.unsafe === true;
  const probeName = `${name}:${path}:${address}`;
  // A file that is not ELF (code mapped from a flat binary) has no functions to look in.
  const functions = (() => {
    try {
      return elfFunctions(path);
    } catch (e) {
      if (e instanceof ElfError) return [];
      throw e;
    }
  })();
  const sym = functions.find((s) => address >= s.address && address < s.address + (s.size === 0n ? 1n : s.size));
  if (!sym) {
    if (!unsafe) {
      return { name: probeName, provider: name, section: name, target: { binary: path, offset: Number(address), attachError: `Could not resolve address: ${path}:0x${address.toString(16)}` } };
    }
    env.warn(`Could not determine instruction boundary for ${probeName} (binary appears stripped). Misaligned probes can lead to tracee crashes!`);
    return { name: probeName, provider: name, section: name, target: { binary: path, offset: Number(address) } };
  }
  const offset = Number(address - sym.address);
  const problem = name === 'uretprobe' && offset !== 0
    ? `uretprobes cannot be attached at function offset. (address resolved to: ${sym.name}+${offset})`
    : boundaryProblem(sym, offset, unsafe);
  return { name: probeName, provider: name, section: name, target: { binary: path, offset: sym.offset + offset, function: sym.name, ...(problem ? { attachError: problem } : {}) } };
}

export function expandUprobe(name: 'uprobe' | 'uretprobe', req: AttachPointRequest, env: ProviderEnv): ExpandedProbe[] {
  if (req.parts.length !== 2 || !req.parts[0]) return env.fail(`${name} needs a binary and a function: ${name}:/bin/bash:readline`, req.span);
  const [target, fnText] = req.parts as [string, string];
  if (!fnText) return env.fail(`${name} should be attached to a function and/or address`, req.span);
  const spec = parseFunction(fnText);
  if (!spec) return env.fail(`Invalid ${name} target: ${fnText}`, req.span);
  if (name === 'uretprobe' && 'glob' in spec && spec.offset !== 0) return env.fail('uretprobes can not be attached to a function offset', req.span);
  const unsafe = env.config.unsafe === true;
  const out: ExpandedProbe[] = [];
  for (const path of uprobeTargets(name, target, req, env)) {
    if ('address' in spec) {
      out.push(addressProbe(name, path, spec.address, env));
      continue;
    }
    let symbols: ElfSymbol[];
    try {
      symbols = matchElfFunctions(path, spec.glob);
      // A function named in full may be one only the debug file knows (a static one), as bpftrace finds it.
      if (!symbols.length && !hasWildcard(spec.glob)) symbols = [namedFunction(path, spec.glob)].filter((s) => s !== undefined);
    } catch (e) {
      // A file some process maps need not be ELF, nor readable (`uprobe:*:f`); a named one must be.
      if (target === '*') continue;
      if (e instanceof ElfError || (e as NodeJS.ErrnoException).code) return env.fail((e as Error).message, req.span);
      throw e;
    }
    const suffix = spec.offset !== 0 ? `+${spec.offset}` : '';
    // As bpftrace: the functions a pattern matches in one file attach by one uprobe_multi link (unless --no-feature uprobe_multi).
    const multi = spec.offset === 0 && (hasWildcard(spec.glob) || hasWildcard(target)) && !env.config.noFeatures?.includes('uprobe_multi');
    for (const sym of symbols) {
      const probe = symbolProbe(name, path, sym, spec.offset, suffix, unsafe);
      out.push(multi && probe.target.attachError === undefined ? { ...probe, multiAttach: { group: path, section: `${name}.multi` } } : probe);
    }
  }
  return out;
}
