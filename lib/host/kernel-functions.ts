// Kernel functions that can be traced: tracefs' available_filter_functions
// (`name` or `name [module]` per line; or another file in that format, as
// --traceable-functions gives), less the kernel's kprobe blacklist where
// debugfs shows it; read once per source and only when asked. Functions
// known to bring the machine down when traced are left out, as bpftrace
// leaves them out (its list, from the kernel's BPF selftests). Where tracefs'
// list is locked down, `-l` lists no function (bpftrace's warning says why)
// and attach points fall back to /proc/kallsyms' text symbols.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globMatcher, hasWildcard } from './glob.ts';

export interface KernelFunction {
  name: string;
  /** The module; undefined for the kernel itself (`vmlinux`). */
  module?: string;
}

/** The traceable functions as `-l` takes them: none, and the path that could not be read, where tracefs' list is locked down. */
export interface ListableFunctions {
  functions: KernelFunction[];
  unreadable?: string;
}

const KPROBE_BLACKLIST = '/sys/kernel/debug/kprobes/blacklist';

const badFunctions = new Set(['arch_cpu_idle', 'default_idle', 'bpf_dispatcher_xdp_func']);
const badPrefixes = ['__ftrace_invalid_address__', 'rcu_'];

function isBad(name: string): boolean {
  return badFunctions.has(name) || badPrefixes.some((p) => name.startsWith(p));
}

const listCache = new Map<string, ListableFunctions>();
const traceCache = new Map<string, KernelFunction[]>();
let blacklist: Set<string> | undefined;

/** `module:name` of one function (`vmlinux` for the kernel itself). */
function moduleName(f: KernelFunction): string {
  return `${f.module ?? 'vmlinux'}:${f.name}`;
}

/** Parses available_filter_functions' format (`name` or `name [module]` a line), leaving out the functions never to trace and those in `blocked` (`module:name`). */
export function parseFilterFunctions(text: string, blocked: ReadonlySet<string> = new Set()): KernelFunction[] {
  const out: KernelFunction[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)(?:\s+\[(\S+)\])?/.exec(line);
    if (!m || isBad(m[1]!)) continue;
    const f: KernelFunction = m[2] ? { name: m[1]!, module: m[2] } : { name: m[1]! };
    if (!blocked.has(moduleName(f))) out.push(f);
  }
  return out;
}

/** Parses the kprobe blacklist (`0xSTART-0xEND\tname` or `... name [module]` a line) into `module:name` entries. */
export function parseKprobeBlacklist(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^0x[0-9a-fA-F]+-0x[0-9a-fA-F]+\s+(\S+)(?:\s+\[(\S+)\])?/.exec(line);
    if (m) out.add(moduleName(m[2] ? { name: m[1]!, module: m[2] } : { name: m[1]! }));
  }
  return out;
}

/** The kernel's kprobe blacklist; empty where debugfs does not show it (as bpftrace, which then goes without). */
function kprobeBlacklist(): Set<string> {
  if (blacklist) return blacklist;
  try {
    blacklist = parseKprobeBlacklist(readFileSync(KPROBE_BLACKLIST, 'utf8'));
  } catch {
    blacklist = new Set();
  }
  return blacklist;
}

function kallsymsFunctions(): KernelFunction[] {
  // `address type name [module]`: text symbols (t/T) are functions.
  let kallsyms = '';
  try {
    kallsyms = readFileSync('/proc/kallsyms', 'utf8');
  } catch {
    // Neither source: nothing to match (attaching will say why).
  }
  const blocked = kprobeBlacklist();
  const out: KernelFunction[] = [];
  for (const line of kallsyms.split('\n')) {
    const m = /^\S+ [tT] (\S+)(?:\s+\[(\S+)\])?/.exec(line);
    if (!m || m[1]!.startsWith('__pfx_') || isBad(m[1]!)) continue;
    const f: KernelFunction = m[2] ? { name: m[1]!, module: m[2] } : { name: m[1]! };
    if (!blocked.has(moduleName(f))) out.push(f);
  }
  return out;
}

/**
 * The functions `-l` lists: `file`'s (--traceable-functions; one that cannot
 * be read throws an Error saying so), else tracefs' available_filter_functions;
 * none, with the path, where that cannot be read.
 */
export function listableFunctions(tracefsRoot: string, file?: string): ListableFunctions {
  const key = file ?? tracefsRoot;
  let found = listCache.get(key);
  if (found) return found;
  const path = file ?? join(tracefsRoot, 'available_filter_functions');
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    if (file !== undefined) throw new Error(`Could not read functions from ${file}.`);
  }
  found = text !== undefined ? { functions: parseFilterFunctions(text, kprobeBlacklist()) } : { functions: [], unreadable: path };
  listCache.set(key, found);
  return found;
}

/**
 * The functions attach points match: those `-l` lists, or, where tracefs'
 * list is locked down, kallsyms' text symbols (the kernel has the last word
 * at attach time). A `file` that cannot be read throws an Error saying so.
 */
export function traceableFunctions(tracefsRoot: string, file?: string): KernelFunction[] {
  const key = file ?? tracefsRoot;
  let found = traceCache.get(key);
  if (found) return found;
  const listed = listableFunctions(tracefsRoot, file);
  found = listed.unreadable !== undefined ? kallsymsFunctions() : listed.functions;
  traceCache.set(key, found);
  return found;
}

/** Names of `functions` matching a glob, sorted and unique; with a module (a glob too; `vmlinux` is the kernel itself), only that module's. */
export function selectFunctions(functions: readonly KernelFunction[], glob: string, module?: string): string[] {
  const re = globMatcher(glob);
  const moduleRe = module !== undefined && hasWildcard(module) ? globMatcher(module) : undefined;
  const names = new Set<string>();
  for (const f of functions) {
    const mod = f.module ?? 'vmlinux';
    if (module !== undefined && (moduleRe ? !moduleRe.test(mod) : mod !== module)) continue;
    if (re.test(f.name)) names.add(f.name);
  }
  return [...names].sort();
}

/** `module:function` of each of `functions` whose `module:function` matches the glob, sorted and unique. */
export function selectModuleFunctions(functions: readonly KernelFunction[], glob: string): string[] {
  const re = globMatcher(glob);
  const out = new Set<string>();
  for (const f of functions) {
    const entry = moduleName(f);
    if (re.test(entry)) out.add(entry);
  }
  return [...out].sort();
}

/**
 * Traceable function names matching a glob, sorted and unique; with a module
 * (a glob too; `vmlinux` is the kernel itself), only that module's.
 */
export function matchFunctions(tracefsRoot: string, glob: string, module?: string, file?: string): string[] {
  return selectFunctions(traceableFunctions(tracefsRoot, file), glob, module);
}

/** `module:function` of every traceable function whose `module:function` matches the glob, sorted. */
export function matchModuleFunctions(tracefsRoot: string, glob: string, file?: string): string[] {
  return selectModuleFunctions(traceableFunctions(tracefsRoot, file), glob);
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
