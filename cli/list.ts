// `-l [search|file]` and `-lv`, as bpftrace lists: a search is split at
// commas; each part names types (`struct task_struct`, see list-types.ts) or
// probes (`PROVIDER:PATTERN`, or a bare `PATTERN` meaning `*:PATTERN`). A
// provider word with a wildcard searches the kernel providers, and the
// userspace ones (uprobe, usdt) too with -p or an existing file as target;
// each provider lists what matches its pattern. With -v each probe is
// followed by its arguments, as its provider describes them. `-l` with a
// program lists the probes it attaches (wildcards expanded; begin, end and
// self probes left out).
import { existsSync } from 'node:fs';
import type { Container } from 'inversify';
import { Services, type ProbeProvider, type ProviderEnv } from '../sdk/index.ts';
import { ProviderRegistry, expandProbes } from '../core/probes/index.ts';
import { providerEnv } from '../core/session/compile.ts';
import { loadPackagePlugins } from '../core/session/packages.ts';
import { prepareProgram } from '../core/passes/imports/index.ts';
import { parse } from '../core/syntax/index.ts';
import { globMatcher, hasWildcard } from '../lib/host/index.ts';
import { isTypeSearch, listTypes } from './list-types.ts';

/** Receives the listing as it is made (a long one starts coming out at once, as bpftrace's does). */
export type ListingSink = (lines: string[]) => void;

/** How many probes go out at a time, at most. */
const CHUNK = 2000;

/** A probe name followed, with -v, by its arguments as its provider describes them. */
function withArgs(name: string, provider: ProbeProvider | undefined, env: ProviderEnv, verbose: boolean): string[] {
  if (!verbose || !provider?.describeArguments) return [name];
  try {
    return [name, ...provider.describeArguments(name, env)];
  } catch {
    // A probe whose arguments cannot be read (no format file, no BTF) lists without them.
    return [name];
  }
}

/** The providers a probe search goes to (see the file comment), by name as bpftrace orders them. */
function providersFor(word: string, parts: string[], registry: ProviderRegistry, env: ProviderEnv): ProbeProvider[] {
  if (!hasWildcard(word) && parts.length > 1) {
    const p = registry.find(word);
    return p ? [p] : [];
  }
  const target = parts[1];
  const userspace = (!hasWildcard(word) && word !== '') || env.config.targetPid !== undefined || (target !== undefined && target !== '' && !hasWildcard(target) && existsSync(target));
  const re = globMatcher(word || '*');
  return registry.providers
    .filter((p) => re.test(p.name) && (p.listedIn === 'kernel' || (p.listedIn === 'userspace' && userspace)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The probes one search part (no commas, not a type) names, to `emit` as they come; why providers could not list, to `errors`. */
function listSearch(search: string, registry: ProviderRegistry, env: ProviderEnv, verbose: boolean, emit: ListingSink, errors: Set<string>): void {
  const value = search === '' ? '*:*' : search.includes(':') ? search : `*:${search}`;
  const parts = value.split(':');
  const word = parts[0]!;
  const pattern = value.slice(word.length + 1) || '*';
  // Why a provider lists nothing here is said to `-l` alone and to searches that name providers, not to a bare name looked for everywhere.
  const listEnv: ProviderEnv = search === '' || search.includes(':') ? env : { ...env, warn: () => {} };
  for (const provider of providersFor(word, parts, registry, env)) {
    let names: string[];
    try {
      names = provider.list?.(pattern, listEnv) ?? [];
      // The kernel's probes sorted as whole names, as bpftrace lists them (`fib6:` before `fib:`); a file's keep its order.
      if (provider.listedIn === 'kernel') names = [...new Set(names)].sort();
    } catch (e) {
      errors.add((e as Error).message);
      continue;
    }
    for (let i = 0; i < names.length; i += CHUNK) {
      const lines: string[] = [];
      for (const name of names.slice(i, i + CHUNK)) for (const line of withArgs(name, provider, env, verbose)) lines.push(line);
      emit(lines);
    }
  }
}

/** bpftrace's warning for a search that looks like a file name (the file does not exist, or it would be listed). */
export function filenameWarning(search: string): string | undefined {
  if (!search.includes('.') || /[:*]/.test(search)) return undefined;
  return `It appears that '${search}' is a filename but the file does not exist. Treating '${search}' as a search pattern.`;
}

/**
 * `-l SEARCH` (or `-l` alone: ''): the listing goes to `emit`, why a provider
 * lists nothing here to `warn` (each message once); returns why some providers
 * could not list theirs (each an ERROR line, exit 1).
 */
export function listProbes(container: Container, search: string, verbose: boolean, emit: ListingSink, warn: (message: string) => void = () => {}): string[] {
  const warned = new Set<string>();
  const env: ProviderEnv = {
    ...providerEnv(container, container.get(Services.Config)),
    warn(message: string) {
      if (!warned.has(message)) warn(message);
      warned.add(message);
    },
  };
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const errors = new Set<string>();
  for (const raw of search.split(',')) {
    const part = raw.trim().replace(/\s+/g, ' ');
    if (isTypeSearch(part)) emit(listTypes(part, verbose));
    else listSearch(part, registry, env, verbose, emit, errors);
  }
  return [...errors];
}

/**
 * The probes a program attaches, wildcards expanded (`bpfscript -l -e '...'`
 * or `-l script.bt`), as `-l` shows them. The packages it imports are loaded
 * first, so their providers list their probes.
 */
export async function listProgramProbes(container: Container, text: string, file: string, verbose: boolean, sources?: Map<string, string>): Promise<string[]> {
  const prepared = prepareProgram(parse(text, file), { file, config: container.get(Services.Config), env: process.env, sources });
  await loadPackagePlugins(container, prepared.plugins);
  const env = providerEnv(container, container.get(Services.Config));
  const registry = new ProviderRegistry(container.getAll(Services.ProbeProvider));
  const out: string[] = [];
  for (const i of expandProbes(prepared.program, registry, env)) {
    const role = i.provider.role;
    if (role === 'begin' || role === 'end' || role === 'signal') continue;
    for (const line of withArgs(i.provider.listedName?.(i.expanded) ?? i.expanded.name, i.provider, env, verbose)) out.push(line);
  }
  return out;
}
