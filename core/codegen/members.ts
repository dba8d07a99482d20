// Member access `a.b` / `p->b`: a kernel struct's member through CO-RE, a
// script struct's member from memory or from the value's bytes, or a plain C
// member of a value on the stack (records, tuples, context structs).
import type * as A from '../syntax/ast.ts';
import { recordField } from './ctypes.ts';
import type { ProbeEmitter } from './emitter.ts';
import { kernelMember } from './kernel-reads.ts';
import { inScriptMemory, isScriptStructAccess, scriptMember } from './memory-reads.ts';

export function fieldAccess(em: ProbeEmitter, e: A.FieldAccess): string {
  const member = em.types.members.get(e);
  if (member) return isScriptStructAccess(em.typeOf(e.object)) ? scriptMember(em, e, member) : kernelMember(em, e, member);
  const ot = em.typeOf(e.object);
  // A field of a script struct in memory (`$p->inner.x`): read just the field, not the whole struct.
  const inMemory = ot.kind === 'struct' && ot.btfId === undefined && inScriptMemory(em, e.object);
  const direct = inMemory && ot.kind === 'struct' ? ot.fields.find((f) => f.name === e.field) : undefined;
  if (direct) return scriptMember(em, e, direct);
  const field = ot.kind === 'record' ? recordField(e.field) : e.field;
  const ctxValue = e.object.kind === 'Identifier' ? em.types.context.get(e.object) : undefined;
  if (ctxValue) {
    em.ctypes.name(ctxValue.type);
    const dataLoc = ctxValue.type.kind === 'struct' && ctxValue.type.fields.some((f) => f.name === e.field && f.dataLoc);
    // A __data_loc field: the record's address plus the offset in its low 16 bits.
    if (dataLoc) return `((__s64)((__u64)(void *)&(${ctxValue.c}) + ((${ctxValue.c}).${field} & 0xffff)))`;
    const t = em.typeOf(e);
    if (!ctxValue.inContext || t.kind === 'int' || t.kind === 'bool' || t.kind === 'pointer') return `(${ctxValue.c}).${field}`;
    // A whole array or struct of the context (a tracepoint's `char comm[16]`):
    // copied by a probe read, as the verifier refuses loads through the
    // context pointer plus an offset, which a copy makes clang compute.
    const v = em.name('v');
    return `({ ${em.ctypes.name(t)} ${v}; bpf_probe_read_kernel(&${v}, sizeof(${v}), &(${ctxValue.c}).${field}); ${v}; })`;
  }
  return `(${em.expr(e.object)}).${field}`;
}
