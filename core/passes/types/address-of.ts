// `&x`: the address of a variable (its slot on the BPF stack), of a map (the
// map itself, as bpftrace passes maps by address), or of a member of a struct
// in memory (kernel structs through CO-RE, the script's at their offset).
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { typeName } from '../../types/index.ts';
import type { InstanceChecker } from './instance.ts';

export function checkAddressOf(c: InstanceChecker, e: A.Unary): ValueType {
  const x = e.operand;
  const t = c.result.exprTypes.get(x)!;
  if (x.kind === 'Variable' || x.kind === 'MapRef') return pointerTo(c, t, false);
  if (x.kind === 'FieldAccess') {
    const object = c.result.exprTypes.get(x.object)!;
    const inMemory = object.kind === 'pointer' || (object.kind === 'struct' && isMemoryExpr(x.object));
    const member = c.result.members.get(x);
    if (inMemory && !member?.bitfield) return pointerTo(c, t, object.kind === 'pointer' ? object.user : false);
    if (member?.bitfield) throw errorAt(e.span, 'Cannot take the address of a bitfield');
  }
  throw errorAt(e.span, 'The & operator needs a variable, a map or a member of a struct in memory');
}

/** Whether a struct-valued expression is read from memory (a member or element of one, or `*p`), so its members have addresses. */
function isMemoryExpr(e: A.Expr): boolean {
  if (e.kind === 'Unary') return e.op === '*';
  if (e.kind === 'FieldAccess' || e.kind === 'Index') return true;
  return false;
}

function pointerTo(c: InstanceChecker, t: ValueType, user: boolean | undefined): ValueType {
  const base = t.kind === 'struct' ? c.opts.kernelTypes.pointerTo(t) : t.kind === 'pointer' ? { kind: 'pointer' as const, pointee: `${t.pointee}${t.pointee.endsWith('*') ? '' : ' '}*` } : undefined;
  const p: ValueType = base?.kind === 'pointer' && base.pointee !== 'void' ? base : { kind: 'pointer', pointee: typeName(t), target: t };
  return user ? { ...p, user: true } : p;
}
