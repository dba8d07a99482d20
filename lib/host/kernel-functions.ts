// Kernel functions that can be traced: tracefs' available_filter_functions
// (`name` or `name [module]` per line), or /proc/kallsyms' text symbols where
// that file is locked down; read once and only when asked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globMatcher } from './glob.ts';

let cache: { name: string; module?: string }[] | undefined;

export function traceableFunctions(tracefsRoot: string): { name: string; module?: string }[] {
  if (!cache) {
    cache = [];
    let text: string | undefined;
    try {
      text = readFileSync(join(tracefsRoot, 'available_filter_functions'), 'utf8');
    } catch {
      // Unreadable where function tracing is locked down: fall back to kallsyms.
    }
    if (text !== undefined) {
      for (const line of text.split('\n')) {
        const m = /^(\S+)(?:\s+\[(\S+)\])?/.exec(line);
        if (m) cache.push(m[2] ? { name: m[1], module: m[2] } : { name: m[1] });
      }
    } else {
      // `address type name [module]`: text symbols (t/T) are functions.
      let kallsyms = '';
      try {
        kallsyms = readFileSync('/proc/kallsyms', 'utf8');
      } catch {
        // Neither source: nothing to list (attaching will say why).
      }
      for (const line of kallsyms.split('\n')) {
        const m = /^\S+ [tT] (\S+)(?:\s+\[(\S+)\])?/.exec(line);
        if (m && !m[1].startsWith('__pfx_')) cache.push(m[2] ? { name: m[1], module: m[2] } : { name: m[1] });
      }
    }
  }
  return cache;
}

/** Traceable function names matching a glob (optionally within one module), sorted and unique. */
export function matchFunctions(tracefsRoot: string, glob: string, module?: string): string[] {
  const re = globMatcher(glob);
  const names = new Set<string>();
  for (const f of traceableFunctions(tracefsRoot)) {
    if (module && f.module !== module) continue;
    if (re.test(f.name)) names.add(f.name);
  }
  return [...names].sort();
}
