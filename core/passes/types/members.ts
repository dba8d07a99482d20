// Member access and indexing: kernel structs (through BTF, with `.` or `->`),
// structs the script defines in C, records, tuples, arrays, strings and
// pointers.
import type * as A from '../../syntax/ast.ts';
import { errorAt } from '../../diagnostics/index.ts';
import type { ValueType } from '../../manifest/index.ts';
import { int64, isInteger, sizeOf, typeName, unqualified } from '../../types/index.ts';
import { constantOf } from './comptime.ts';
import type { InstanceChecker } from './instance.ts';
import { resolveTypeExpr } from './type-expr.ts';

export function checkFieldAccess(c: InstanceChecker, e: A.FieldAccess): ValueType {
  return withAddressSpace(fieldType(c, e), inUserMemory(c, e));
}

function fieldType(c: InstanceChecker, e: A.FieldAccess): ValueType {
  const t = kernelPointer(c, e.object, c.expr(e.object));
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
    return 'dataLoc' in f && f.dataLoc ? int64 : f.type;
  }
  throw errorAt(e.span, `Can not access field '${e.field}' on expression of type '${typeName(t)}'`);
}

/**
 * A pointer known only by its pointee's name (a tracepoint's format file says
 * `struct __kernel_timespec *`) to a struct the kernel has: retyped as the
 * kernel's pointer (with its BTF id), so members are read through it.
 */
function kernelPointer(c: InstanceChecker, object: A.Expr, t: ValueType): ValueType {
  if (t.kind !== 'pointer' || t.btfId !== undefined || t.target || !/^(struct|union) /.test(t.pointee)) return t;
  const target = pointeeType(c, t);
  if (target?.kind !== 'struct' || target.btfId === undefined) return t;
  const p = c.opts.kernelTypes.pointerTo(target);
  if (p.kind !== 'pointer' || p.btfId === undefined) return t;
  const typed: ValueType = t.user ? { ...p, user: true } : p;
  c.result.exprTypes.set(object, typed);
  return typed;
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
  // A script struct's `char s[N]` reads as a string of N + 1 bytes, always NUL-terminated (as upstream: not truncated).
  if (m.type.kind === 'string') return { kind: 'string', size: m.type.size + 1 };
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
  const length = t.kind === 'string' ? t.size : t.kind === 'array' ? t.length : 0;
  // A literal index past the end is refused, as bpftrace (a zero-length array is a flexible one).
  if (e.index.kind === 'Integer' && length > 0 && e.index.value >= BigInt(length)) {
    throw errorAt(e.span, `the index ${e.index.value} is out of bounds for array of size ${length}`);
  }
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

/** How many bytes one element of what `p` points to takes (1 for `void *`). */
export function pointerStep(c: InstanceChecker, p: ValueType): number {
  const pointee = pointeeType(c, p);
  return pointee ? Math.max(1, sizeOf(pointee)) : 1;
}

/** What `*p` / `p[i]` reads: a kernel type by BTF id, or a written pointee like `int32` or `struct Foo *`. */
export function pointeeType(c: InstanceChecker, t: ValueType): ValueType | undefined {
  if (t.kind !== 'pointer' || t.pointee === 'void') return undefined;
  if (t.target) return withAddressSpace(t.target, t.user);
  const kt = c.opts.kernelTypes;
  if (t.btfId !== undefined) {
    const p = kt.fromId(t.btfId);
    return p.kind === 'struct' ? kt.complete(p) : p.kind === 'none' ? undefined : withAddressSpace(p, t.user);
  }
  const inner = /^(.*\S)\s*\*$/.exec(t.pointee);
  if (inner) return withAddressSpace(pointerToSpelled(c, inner[1]!), t.user);
  const named = namedType(c, t.pointee);
  return named && withAddressSpace(named, t.user);
}

/** A type by its name (`int32`, `struct Foo`, a typedef); undefined when nothing defines it. */
function namedType(c: InstanceChecker, name: string): ValueType | undefined {
  try {
    // Qualifiers do not change what is read (`const struct timespec *` of a tracepoint's format).
    const plain = unqualified(name);
    return resolveTypeExpr({ kind: 'NamedType', name: plain, span: { file: '', line: 0, col: 0, endLine: 0, endCol: 0 } }, { kernelTypes: c.opts.kernelTypes });
  } catch {
    return undefined;
  }
}

/** A pointer to the type spelled `pointee`: a struct's pointer as the types layer makes it (a kernel one keeps its BTF id). */
function pointerToSpelled(c: InstanceChecker, pointee: string): ValueType {
  if (/\*$/.test(pointee)) return { kind: 'pointer', pointee };
  const target = namedType(c, pointee);
  if (target?.kind === 'struct') return c.opts.kernelTypes.pointerTo(target);
  return { kind: 'pointer', pointee };
}

/**
 * What is read from user memory points into user memory too: the pointers
 * among it (itself, or an array's elements) are tagged so (`*$p` of a
 * uprobe's `int32 **`).
 */
export function withAddressSpace(t: ValueType, user: boolean | undefined): ValueType {
  if (!user) return t;
  if (t.kind === 'pointer') return t.user ? t : { ...t, user: true };
  if (t.kind === 'array') return { ...t, element: withAddressSpace(t.element, true) };
  return t;
}

/** Whether the value `e` denotes is in user memory: what a user pointer points to, its members and elements. */
export function inUserMemory(c: InstanceChecker, e: A.Expr): boolean {
  if (e.kind === 'Unary' && e.op === '*') return !!pointerOf(c, e.operand)?.user;
  if (e.kind !== 'FieldAccess' && e.kind !== 'Index') return false;
  const ot = c.result.exprTypes.get(e.object);
  if (ot?.kind === 'pointer') return !!ot.user;
  return (ot?.kind === 'struct' || ot?.kind === 'array') && inUserMemory(c, e.object);
}

function pointerOf(c: InstanceChecker, e: A.Expr): Extract<ValueType, { kind: 'pointer' }> | undefined {
  const t = c.result.exprTypes.get(e);
  return t?.kind === 'pointer' ? t : undefined;
}
