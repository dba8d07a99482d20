// Which keyless count(), hist() and lhist() maps can live in a per-CPU array
// instead of a per-CPU hash: the verifier inlines an array lookup (a few
// instructions) where a hash lookup is a helper call that hashes the key
// (~50-100 ns per event on the bench machine, most of a `@ = count()` or
// `@ = hist(n)` probe's cost). A count is one slot; a histogram is one slot per
// bucket, indexed by the bucket.
//
// An array slot always exists, so "never counted" reads as a zero count: the
// map's entries leave zero counts (and histograms whose buckets are all zero)
// out (decodeMapEntries), which keeps the output of a hash whose key was never
// created. That holds while nothing but the map's aggregation writes it and
// nothing keeps a zero as an entry: zero() (keeps the key with 0), delete() (an
// array slot cannot be deleted), `+=`, `++` and map loops keep the hash. Reads,
// print() and clear() (which zeroes an array) are the same on both.
import type * as A from '../syntax/ast.ts';
import type { InstanceTypes, MapTypeInfo } from '../passes/types/index.ts';

/** Builtins that take a keyless count or histogram map as an argument and treat a zero count as no entry. */
const ARRAY_SAFE_CALLS = new Set(['print', 'clear']);

/** The aggregations whose zero means "nothing counted": a count, or a histogram's bucket. */
const ARRAY_AGGREGATIONS = new Set(['count', 'hist', 'lhist']);

export function perCpuArrayMaps(maps: ReadonlyMap<string, MapTypeInfo>, instances: readonly InstanceTypes[]): Set<string> {
  const candidates = new Set<string>();
  for (const m of maps.values()) {
    if (m.keyed !== true && m.keyType === undefined && ARRAY_AGGREGATIONS.has(m.value?.kind ?? '') && !m.declared) candidates.add(m.name);
  }
  if (candidates.size === 0) return candidates;
  for (const inst of instances) {
    const disqualify = (ref: A.MapRef) => candidates.delete(ref.name);
    const { probe } = inst.instance;
    visit(probe.predicate, undefined, inst, disqualify);
    visit(probe.body, undefined, inst, disqualify);
  }
  return candidates;
}

type Parent = { node: A.Node; field: string } | undefined;

function visit(node: unknown, parent: Parent, inst: InstanceTypes, disqualify: (ref: A.MapRef) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) visit(n, parent, inst, disqualify);
    return;
  }
  const n = node as A.Node;
  if (n.kind === 'MapRef') {
    if (!usedAsCounter(n, parent, inst)) disqualify(n);
    return;
  }
  for (const [field, child] of Object.entries(n)) {
    if (field !== 'span' && typeof child === 'object') visit(child, { node: n, field }, inst, disqualify);
  }
}

/** Whether this occurrence of a keyless map keeps the meaning "a zero count is no entry". */
function usedAsCounter(ref: A.MapRef, parent: Parent, inst: InstanceTypes): boolean {
  if (!parent) return true;
  const p = parent.node;
  switch (p.kind) {
    case 'Assign':
      if (parent.field !== 'target') return true;
      return p.op === '=' && p.value.kind === 'Call' && ARRAY_AGGREGATIONS.has(inst.builtins.get(p.value)?.name ?? '');
    case 'Call':
      return ARRAY_SAFE_CALLS.has(inst.builtins.get(p)?.name ?? '') && (p.args as unknown[])[0] === ref;
    case 'Update':
    case 'For':
    case 'MapDecl':
      return false;
    default:
      return true;
  }
}
