// `-l [search|file]` and `-lv`: probes the kernel offers (or a program's
// probes, expanded), and with -v each tracepoint's arguments as bpftrace shows
// them (each provider's `describeArguments`, e.g. `    const char * filename`).
import type { Container } from 'inversify';
import { Services, type ProbeProvider, type ProviderEnv } from '../sdk/index.ts';
import { ProviderRegistry, expandProbes, splitAttachPoint } from '../core/probes/index.ts';
import { providerEnv } from '../core/session/compile.ts';
import { parse } from '../core/syntax/index.ts';
import { starMatcher } from '../lib/host/index.ts';

/** With -v, each probe is followed by its arguments, as its provider describes them. */
function withArgs(names: string[], registry: ProviderRegistry, env: ProviderEnv, verbose: boolean): string[] {
  if (!verbose) return names;
  const out: string[] = [];
  for (const name of names) {
    out.push(name);
    try {
      out.push(...(registry.find(splitAttachPoint(name)[0] ?? '')?.describeArguments?.(name, env) ?? []));
    } catch {
      // A probe whose arguments cannot be read (no format file, no BTF) lists without them.
    }
  }
  return out;
}

/** What `-l` prints: the probes found, and why some providers could not list theirs (each an ERROR line, exit 1). */
export interface Listing {
  lines: string[];
  errors: string[];
}

/** Probes matching `pattern` ('' for all): by provider when it names one, else a glob over every name. */
export function listProbes(container: Container, pattern: string, verbose: boolean): Listing {
  const config = container.get(Services.Config);
  const env = providerEnv(container, config);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const [word, ...rest] = splitAttachPoint(pattern);
  const provider = word ? registry.find(word) : undefined;
  const names: string[] = [];
  const errors = new Set<string>();
  const list = (p: ProbeProvider, request: string): string[] => {
    try {
      return p.list?.(request, env) ?? [];
    } catch (e) {
      errors.add((e as Error).message);
      return [];
    }
  };
  if (provider) names.push(...list(provider, rest.join(':')));
  else {
    const glob = pattern ? (pattern.includes('*') ? pattern : `*${pattern}*`) : '*';
    const re = starMatcher(glob);
    // '*' asks each provider for everything it has.
    for (const p of registry.providers) for (const name of list(p, '*')) if (re.test(name)) names.push(name);
  }
  return { lines: withArgs(names, registry, env, verbose), errors: [...errors] };
}

/** The probes a program attaches, wildcards expanded (`bpfscript -l -e '...'` or `-l script.bt`). */
export function listProgramProbes(container: Container, text: string, file: string, verbose: boolean): string[] {
  const config = container.get(Services.Config);
  const env = providerEnv(container, config);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const instances = expandProbes(parse(text, file), registry, env);
  return withArgs([...new Set(instances.map((i) => i.expanded.name))], registry, env, verbose);
}
