// `--probe-filter REGEX`: only probes whose name the regular expression finds
// (a search, not a whole match, as bpftrace's std::regex_search) are kept;
// probes the session runs itself (begin, end, self signals) always are.
import { CompileError } from '../diagnostics/index.ts';
import type { ProbeInstance } from './expand.ts';

export function filterProbes(instances: ProbeInstance[], filter: string | undefined): ProbeInstance[] {
  if (filter === undefined || filter === '') return instances;
  let re: RegExp;
  try {
    re = new RegExp(filter);
  } catch (e) {
    throw new CompileError({ severity: 'ERROR', message: `Invalid --probe-filter regex '${filter}': ${(e as Error).message}` });
  }
  const kept = instances.filter((i) => (i.provider.role !== undefined && i.provider.role !== 'attach') || re.test(i.expanded.name));
  return kept.map((i, index) => ({ ...i, index }));
}
