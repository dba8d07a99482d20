// Names with a prefix (`btf_trace_`, `bpf_iter__`) among a BTF blob's own
// types: what the kernel offers by naming convention (raw tracepoints,
// iterators), for listings.
import type { Btf } from './btf.ts';
import type { KindName } from './format.ts';

/**
 * Names of `btf`'s own types of `kind` that start with `prefix`, each once,
 * sorted: the string section is searched natively for the prefix, then each
 * name's types are looked up.
 */
export function ownNamesStartingWith(btf: Btf, prefix: string, kind: KindName): string[] {
  const section = btf.ownStrings;
  const needle = Buffer.from(`\0${prefix}`, 'latin1');
  const names = new Set<string>();
  for (let i = section.indexOf(needle); i >= 0; i = section.indexOf(needle, i + 1)) {
    const end = section.indexOf(0, i + 1);
    names.add(section.toString('latin1', i + 1, end < 0 ? section.length : end));
  }
  return [...names].filter((n) => btf.findAllByName(n, kind).some((id) => id >= btf.startId)).sort();
}
