// Kernel functions that can be traced: tracefs' available_filter_functions
// (`name` or `name [module]` per line; or another file in that format, as
// --traceable-functions gives), or /proc/kallsyms' text symbols where that
// file is locked down; read once per source and only when asked. Functions
// known to bring the machine down when traced are left out, as bpftrace
// leaves them out (its list, from the kernel's BPF selftests).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globMatcher, hasWildcard } from './glob.ts';

export interface KernelFunction {
  name: string;
  /** The module; undefined for the kernel itself (`vmlinux`). */
  module?: string;
}

const badFunctions = new Set(['arch_cpu_idle', 'default_idle', 'bpf_dispatcher_xdp_func']);
const badPrefixes = ['__ftrace_invalid_address__', 'rcu_'];

function isBad(name: string): boolean {
  return badFunctions.has(name) || badPrefixes.some((p) => name.startsWith(p));
}

const cache = new Map<string, KernelFunction[]>();

function parseFilterFunctions(text: string): KernelFunction[] {
  const out: KernelFunction[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)(?:\s+\[(\S+)\])?/.exec(line);
    if (m && !isBad(m[1]!)) out.push(m[2] ? { name: m[1]!, module: m[2] } : { name: m[1]! });
  }
  return out;
}

function kallsymsFunctions(): KernelFunction[] {
  // `address type name [module]`: text symbols (t/T) are functions.
  let kallsyms = '';
  try {
    kallsyms = readFileSync('/proc/kallsyms', 'utf8');
  } catch {
    // Neither source: nothing to list (attaching will say why).
  }
  const out: KernelFunction[] = [];
  for (const line of kallsyms.split('\n')) {
    const m = /^\S+ [tT] (\S+)(?:\s+\[(\S+)\])?/.exec(line);
    if (m && !m[1]!.startsWith('__pfx_') && !isBad(m[1]!)) out.push(m[2] ? { name: m[1]!, module: m[2] } : { name: m[1]! });
  }
  return out;
}

/**
 * The traceable functions. `file` replaces tracefs' list (--traceable-functions);
 * a file that cannot be read throws an Error saying so.
 */
export function traceableFunctions(tracefsRoot: string, file?: string): KernelFunction[] {
  const key = file ?? tracefsRoot;
  let found = cache.get(key);
  if (found) return found;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`Could not read functions from ${file}.`);
    }
    found = parseFilterFunctions(text);
  } else {
    let text: string | undefined;
    try {
      text = readFileSync(join(tracefsRoot, 'available_filter_functions'), 'utf8');
    } catch {
      // Unreadable where function tracing is locked down: fall back to kallsyms.
    }
    found = text !== undefined ? parseFilterFunctions(text) : kallsymsFunctions();
  }
  cache.set(key, found);
  return found;
}

/**
 * Traceable function names matching a glob, sorted and unique; with a module
 * (a glob too; `vmlinux` is the kernel itself), only that module's.
 */
export function matchFunctions(tracefsRoot: string, glob: string, module?: string, file?: string): string[] {
  const re = globMatcher(glob);
  const moduleRe = module !== undefined && hasWildcard(module) ? globMatcher(module) : undefined;
  const names = new Set<string>();
  for (const f of traceableFunctions(tracefsRoot, file)) {
    const mod = f.module ?? 'vmlinux';
    if (module !== undefined && (moduleRe ? !moduleRe.test(mod) : mod !== module)) continue;
    if (re.test(f.name)) names.add(f.name);
  }
  return [...names].sort();
}

/** `module:function` of every traceable function whose `module:function` matches the glob, sorted. */
export function matchModuleFunctions(tracefsRoot: string, glob: string, file?: string): string[] {
  const re = globMatcher(glob);
  const out = new Set<string>();
  for (const f of traceableFunctions(tracefsRoot, file)) {
    const entry = `${f.module ?? 'vmlinux'}:${f.name}`;
    if (re.test(entry)) out.add(entry);
  }
  return [...out].sort();
}

/** Loaded kernel modules (/proc/modules), with `vmlinux` for the kernel itself. */
export function loadedModules(): Set<string> {
  const out = new Set(['vmlinux']);
  try {
    for (const line of readFileSync('/proc/modules', 'utf8').split('\n')) {
      const name = line.split(' ')[0];
      if (name) out.add(name);
    }
  } catch {
    // A kernel without modules: only vmlinux.
  }
  return out;
}
