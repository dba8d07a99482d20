// Member access and indexing: kernel structs (through BTF, with `.` or `->`),
// structs the script defines in C, records, tuples, arrays, strings and
// pointers.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { isInteger, typeName } from '../../types/index.ts';
import { constantOf } from './comptime.ts';
import type { InstanceChecker } from './instance.ts';
import { resolveTypeExpr } from './type-expr.ts';

export function checkFieldAccess(c: InstanceChecker, e: A.FieldAccess): ValueType {
  const t = c.expr(e.object);
  const kernelStruct = (t.kind === 'struct' && t.btfId !== undefined) || (t.kind === 'pointer' && t.btfId !== undefined);
  if (kernelStruct) {
    // `.` and `->` both walk kernel structs, through any pointer (as bpftrace).
    const kt = c.opts.kernelTypes;
    const m = kt.member(t, e.field);
    if (!m) {
      const target = t.kind === 'pointer' ? kt.fromId(t.btfId!) : t;
      if (target.kind !== 'struct') throw errorAt(e.span, `Can not access field '${e.field}' on type '${typeName(t)}'`);
      throw errorAt(e.span, `Struct/union of type '${target.name}' does not contain a field named '${e.field}'`);
    }
    c.result.members.set(e, m);
    return m.type.kind === 'struct' ? kt.complete(m.type) : m.type;
  }
  const scriptMember = scriptStructMember(c, e, t);
  if (scriptMember) return scriptMember;
  if (t.kind === 'record' || t.kind === 'struct') {
    const f = t.fields.find((x) => x.name === e.field);
    if (!f) throw errorAt(e.span, `Struct/union of type '${t.kind === 'struct' ? t.name : typeName(t)}' does not contain a field named '${e.field}'`);
    const folded = c.result.records.get(e.object)?.find(([n]) => n === e.field)?.[1];
    if (typeof folded === 'string') c.result.strings.set(e, folded);
    else if (folded !== undefined) c.result.constants.set(e, folded);
    return f.type;
  }
  throw errorAt(e.span, `Can not access field '${e.field}' on expression of type '${typeName(t)}'`);
}

/**
 * A member of a struct the script defines (C definitions: no BTF id):
 * through a pointer (`$p->a`, `$p.a`) it is read from memory at its
 * offset; on a value, the members outside its `fields` (bitfields, those of
 * anonymous unions) are read from its bytes. Undefined for anything else.
 */
function scriptStructMember(c: InstanceChecker, e: A.FieldAccess, t: ValueType): ValueType | undefined {
  const kt = c.opts.kernelTypes;
  let target: ValueType | undefined;
  if (t.kind === 'pointer' && t.btfId === undefined) target = pointeeType(c, t);
  else if (t.kind === 'struct' && t.btfId === undefined && !t.fields.some((f) => f.name === e.field)) target = t;
  if (target?.kind !== 'struct' || target.btfId !== undefined) return undefined;
  const m = kt.member(t, e.field);
  if (!m) {
    if (target.size === 0) throw errorAt(e.span, `Can not access field '${e.field}' of incomplete type '${target.name}'`);
    throw errorAt(e.span, `Struct/union of type '${target.name}' does not contain a field named '${e.field}'`);
  }
  c.result.members.set(e, m);
  return m.type.kind === 'struct' && m.type.btfId !== undefined ? kt.complete(m.type) : m.type;
}

export function checkTupleIndex(c: InstanceChecker, e: A.TupleIndex): ValueType {
  const t = c.expr(e.object);
  if (t.kind !== 'tuple') throw errorAt(e.span, `Can not access index '${e.index}' on expression of type '${typeName(t)}'`);
  if (e.index >= t.elements.length) throw errorAt(e.span, `Invalid tuple index: ${e.index}. Found ${t.elements.length} elements in tuple.`);
  return t.elements[e.index].type;
}

export function checkIndex(c: InstanceChecker, e: A.Index): ValueType {
  const t = c.expr(e.object);
  const it = c.expr(e.index);
  if (!isInteger(it)) throw errorAt(e.index.span, 'The array index must be an integer');
  if (t.kind === 'string') return { kind: 'int', size: 1, signed: true };
  if (t.kind === 'array') return t.element;
  if (t.kind === 'pointer') {
    const pointee = pointeeType(c, t);
    if (!pointee) throw errorAt(e.span, `The array index operator [] can not be used on expressions of type '${typeName(t)}'`);
    return pointee;
  }
  if (t.kind === 'tuple') {
    const n = constantOf(c, e.index);
    if (n === undefined) throw errorAt(e.index.span, 'Tuple index must be a constant');
    if (n < 0n || n >= BigInt(t.elements.length)) throw errorAt(e.index.span, `Invalid tuple index: ${n}. Found ${t.elements.length} elements in tuple.`);
    return t.elements[Number(n)].type;
  }
  throw errorAt(e.span, `The array index operator [] can not be used on expressions of type ${typeName(t)}`);
}

/** What `*p` / `p[i]` reads: a kernel type by BTF id, or a written pointee like `int32`. */
export function pointeeType(c: InstanceChecker, t: ValueType): ValueType | undefined {
  if (t.kind !== 'pointer' || t.pointee === 'void') return undefined;
  const kt = c.opts.kernelTypes;
  if (t.btfId !== undefined) {
    const p = kt.fromId(t.btfId);
    return p.kind === 'struct' ? kt.complete(p) : p.kind === 'none' ? undefined : p;
  }
  try {
    // Qualifiers do not change what is read (`const struct timespec *` of a tracepoint's format).
    const name = t.pointee.replace(/\b(const|volatile)\b/g, ' ').replace(/\s+/g, ' ').trim();
    return resolveTypeExpr({ kind: 'NamedType', name, span: { file: '', line: 0, col: 0, endLine: 0, endCol: 0 } }, { kernelTypes: kt });
  } catch {
    return undefined;
  }
}
