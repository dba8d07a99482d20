// Kernel functions that can be traced: tracefs' available_filter_functions
// (`name` or `name [module]` per line), read once and only when asked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { globToRegExp } from './glob.ts';

let cache: { name: string; module?: string }[] | undefined;

export function traceableFunctions(tracefsRoot: string): { name: string; module?: string }[] {
  if (!cache) {
    let text = '';
    try {
      text = readFileSync(join(tracefsRoot, 'available_filter_functions'), 'utf8');
    } catch {
      // No ftrace: nothing can be listed (attaching will say why).
    }
    cache = [];
    for (const line of text.split('\n')) {
      const m = /^(\S+)(?:\s+\[(\S+)\])?/.exec(line);
      if (m) cache.push(m[2] ? { name: m[1], module: m[2] } : { name: m[1] });
    }
  }
  return cache;
}

/** Traceable function names matching a glob (optionally within one module), sorted and unique. */
export function matchFunctions(tracefsRoot: string, glob: string, module?: string): string[] {
  const re = globToRegExp(glob);
  const names = new Set<string>();
  for (const f of traceableFunctions(tracefsRoot)) {
    if (module && f.module !== module) continue;
    if (re.test(f.name)) names.add(f.name);
  }
  return [...names].sort();
}
