// `-l 'uprobe:TARGET:FUNCTION'`: `path:function` of every function symbol of
// the target's files (with -p, also of every file the process maps), those
// the pattern matches, sorted. `uprobe:PATTERN` matches functions of any file.
import type { ProviderEnv } from '../../sdk/index.ts';
import { elfFunctions } from '../../lib/host/index.ts';
import { listingSearch } from '../shared/listing.ts';
import { listedFiles } from '../shared/user-targets.ts';

export function listUprobes(name: string, pattern: string, env: ProviderEnv): string[] {
  const { target, search } = listingSearch(pattern);
  const found = new Set<string>();
  for (const path of listedFiles(target, env)) {
    let symbols;
    try {
      symbols = elfFunctions(path);
    } catch {
      continue; // not ELF, or not readable: nothing to list there
    }
    for (const s of symbols) if (search.test(`${path}:${s.name}`)) found.add(`${path}:${s.name}`);
  }
  return [...found].sort().map((f) => `${name}:${f}`);
}
