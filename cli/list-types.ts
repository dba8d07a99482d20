// `-l 'struct task_struct'` (also `union`, `enum`; wildcards allowed): the
// kernel's type names from BTF; with -v their definitions, as bpftrace
// prints them (`vmlinux: struct task_struct {` ... `};`, written as libbpf's
// btf_dump writes C), each followed by an empty line. A type vmlinux defines
// is shown once, as vmlinux's; one only modules define, once per module.
import { cDefinition, kernelBtf, type Btf } from '../lib/btf/index.ts';
import { globMatcher } from '../lib/host/index.ts';

/** Whether a search names types rather than probes (`struct x`, `union x`, `enum x`). */
export function isTypeSearch(search: string): boolean {
  return /^(struct|union|enum) /.test(search);
}

interface NamedType {
  btf: Btf;
  id: number;
  /** `struct task_struct` */
  name: string;
}

/** Every named struct, union and enum (with values) of every kernel BTF, with the module it is in. */
function* kernelTypeNames(): Generator<NamedType & { module: string }> {
  const kernel = kernelBtf();
  const blobs: [string, Btf][] = [['vmlinux', kernel.vmlinux]];
  for (const name of kernel.moduleNames()) {
    const btf = kernel.module(name);
    if (btf) blobs.push([name, btf]);
  }
  for (const [module, btf] of blobs) {
    for (let id = btf.startId; id < btf.endId; id++) {
      const t = btf.type(id);
      if (!t.name) continue;
      if (t.kind === 'struct' || t.kind === 'union') yield { btf, id, name: `${t.kind} ${t.name}`, module };
      else if ((t.kind === 'enum' || t.kind === 'enum64') && t.values.length) yield { btf, id, name: `enum ${t.name}`, module };
    }
  }
}

export function listTypes(search: string, verbose: boolean): string[] {
  if (!verbose) {
    const re = globMatcher(search);
    return [...new Set([...kernelTypeNames()].map((t) => t.name).filter((n) => re.test(n)))].sort();
  }
  // As bpftrace: the search, then ` *{*}*`, matched against whole definitions.
  const re = globMatcher(`${search} *{*}*`);
  const modulesOf = new Map<string, Set<string>>();
  for (const t of kernelTypeNames()) {
    // Only a type whose head can match is written out in full.
    if (!re.test(`${t.name} {}`)) continue;
    const text = cDefinition(t.btf, t.id);
    if (!re.test(text)) continue;
    const modules = modulesOf.get(text) ?? new Set<string>();
    modules.add(t.module);
    modulesOf.set(text, modules);
  }
  const out: string[] = [];
  for (const text of [...modulesOf.keys()].sort()) {
    const modules = modulesOf.get(text)!;
    for (const module of modules.has('vmlinux') ? ['vmlinux'] : [...modules].sort()) out.push(`${module}: ${text}\n`);
  }
  return out;
}
