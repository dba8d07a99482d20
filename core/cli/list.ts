// `-l [search|file]` and `-lv`: probes the kernel offers (or a program's
// probes, expanded), and with -v each tracepoint's arguments as bpftrace shows
// them (`    const char * filename`).
import type { Container } from 'inversify';
import { Services, type Tracefs } from '../../sdk/index.ts';
import { ProviderRegistry, expandProbes, splitAttachPoint } from '../probes/index.ts';
import { providerEnv } from '../session/compile.ts';
import { parse } from '../syntax/index.ts';

/** A tracepoint's fields without the common header, `type name` (arrays as `char comm[16]`). */
export function tracepointArgLines(tracefs: Tracefs, category: string, event: string): string[] {
  const out: string[] = [];
  for (const f of tracefs.format(category, event).fields) {
    if (f.name.startsWith('common_')) continue;
    const array = f.arrayLength !== undefined ? /^(.*?)\s*\[(\d*)\]$/.exec(f.cType) : null;
    out.push(array ? `    ${array[1]} ${f.name}[${array[2]}]` : `    ${f.cType} ${f.name}`);
  }
  return out;
}

function withArgs(names: string[], tracefs: Tracefs, verbose: boolean): string[] {
  if (!verbose) return names;
  const out: string[] = [];
  for (const name of names) {
    out.push(name);
    const m = /^tracepoint:([^:]+):(.+)$/.exec(name);
    if (!m) continue;
    try {
      out.push(...tracepointArgLines(tracefs, m[1]!, m[2]!));
    } catch {
      // A tracepoint without a readable format lists without arguments.
    }
  }
  return out;
}

/** Probes matching `pattern` ('' for all): by provider when it names one, else a glob over every name. */
export function listProbes(container: Container, pattern: string, verbose: boolean): string[] {
  const config = container.get(Services.Config);
  const env = providerEnv(container, config);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const [word, ...rest] = splitAttachPoint(pattern);
  const provider = word ? registry.find(word) : undefined;
  const names: string[] = [];
  if (provider) names.push(...(provider.list?.(rest.join(':'), env) ?? []));
  else {
    const glob = pattern ? (pattern.includes('*') ? pattern : `*${pattern}*`) : '*';
    const re = new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    // '*' asks each provider for everything it has.
    for (const p of registry.providers) for (const name of p.list?.('*', env) ?? []) if (re.test(name)) names.push(name);
  }
  return withArgs(names, env.tracefs, verbose);
}

/** The probes a program attaches, wildcards expanded (`bpfscript -l -e '...'` or `-l script.bt`). */
export function listProgramProbes(container: Container, text: string, file: string, verbose: boolean): string[] {
  const config = container.get(Services.Config);
  const env = providerEnv(container, config);
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const instances = expandProbes(parse(text, file), registry, env);
  return withArgs([...new Set(instances.map((i) => i.expanded.name))], env.tracefs, verbose);
}
