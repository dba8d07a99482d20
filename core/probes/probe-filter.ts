// `--probe-filter REGEX`: only probes whose name the regular expression finds
// (a search, not a whole match, as bpftrace's std::regex_search) are kept;
// begin, end and self signal probes always are (tests and benchmarks are
// filtered like attached probes, as bpftrace filters them).
import { CompileError } from '../diagnostics/index.ts';
import type { ProbeRole } from '../../sdk/index.ts';
import type { ProbeInstance } from './expand.ts';

const alwaysKept: readonly ProbeRole[] = ['begin', 'end', 'signal'];

export function filterProbes(instances: ProbeInstance[], filter: string | undefined): ProbeInstance[] {
  if (filter === undefined || filter === '') return instances;
  let re: RegExp;
  try {
    re = new RegExp(filter);
  } catch (e) {
    throw new CompileError({ severity: 'ERROR', message: `Invalid --probe-filter regex '${filter}': ${(e as Error).message}` });
  }
  const kept = instances.filter((i) => alwaysKept.includes(i.provider.role ?? 'attach') || re.test(i.expanded.name));
  return kept.map((i, index) => ({ ...i, index }));
}
