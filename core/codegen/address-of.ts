// `&x` (the type pass allowed it): a variable's stack slot, a map, or a
// member of a struct in memory, as a 64-bit address.
import type * as A from '../syntax/ast.ts';
import { errorAt } from '../diagnostics/index.ts';
import type { ProbeEmitter } from './emitter.ts';
import { kernelMemberAddress } from './kernel-reads.ts';
import { scriptAddress } from './memory-reads.ts';

export function addressOf(em: ProbeEmitter, e: A.Unary): string {
  const x = e.operand;
  if (x.kind === 'Variable') return `((__u64)&${em.variable(x)})`;
  if (x.kind === 'MapRef') return `((__u64)&${em.state.map(x.name).cName})`;
  if (x.kind === 'FieldAccess') {
    const object = em.typeOf(x.object);
    const kernel = (object.kind === 'pointer' || object.kind === 'struct') && object.btfId !== undefined;
    const address = kernel ? kernelMemberAddress(em, x) : scriptMemberAddress(em, x);
    if (address !== undefined) return address;
  }
  throw errorAt(e.span, 'internal: & of an expression without an address');
}

/** A member of a script struct in memory: the struct's address plus the member's offset. */
function scriptMemberAddress(em: ProbeEmitter, x: A.FieldAccess): string | undefined {
  const object = em.typeOf(x.object);
  const offset = em.types.members.get(x)?.offset ?? (object.kind === 'struct' ? object.fields.find((f) => f.name === x.field)?.offset : undefined);
  const base = offset === undefined ? undefined : scriptAddress(em, x.object);
  return base && `(${base.address} + ${offset})`;
}
