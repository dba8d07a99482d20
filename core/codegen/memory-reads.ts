// Reads of memory with probe-read helpers: what a pointer points to
// (`*p`, `p[i]`), and members of structs the script defines (no BTF, so no
// CO-RE: their layout is the script's). Kernel structs are in kernel-reads.ts.
import type * as A from '../syntax/ast.ts';
import { errorAt, type Span } from '../diagnostics/index.ts';
import type { ValueType } from '../manifest/index.ts';
import type { KernelMember } from '../../sdk/index.ts';
import { sizeOf } from '../types/index.ts';
import type { ProbeEmitter } from './emitter.ts';
import { RUNTIME_ERRORS, runtimeError } from './events.ts';

/**
 * Reads memory that may be kernel or user memory (a pointer the script cast
 * from an integer, in any kind of probe): the kernel first, then user space.
 */
const PROBE_READ_ANY = `static __always_inline long bs_probe_read(void *dst, __u32 size, const void *src)
{
  long r = bpf_probe_read_kernel(dst, size, src);
  if (r < 0)
    r = bpf_probe_read_user(dst, size, src);
  return r;
}
`;

/** Reads `*(p + index)` (of type `t`) from kernel, or user, memory. */
export function readPointee(em: ProbeEmitter, pointer: A.Expr, index: string, t: ValueType): string {
  const pt = em.typeOf(pointer);
  if (pt.kind !== 'pointer') throw errorAt(pointer.span, 'internal: dereference of a non-pointer');
  const ct = em.ctypes.name(t);
  const v = em.name('v');
  // A struct the script defines may be in kernel or user memory (a uprobe's argument).
  const scriptStruct = !pt.user && t.kind === 'struct' && t.btfId === undefined;
  if (scriptStruct) em.state.declare(PROBE_READ_ANY);
  const read = pt.user ? 'bpf_probe_read_user' : scriptStruct ? 'bs_probe_read' : 'bpf_probe_read_kernel';
  const call = `${read}(&${v}, sizeof(${v}), (const void *)((${ct} *)(${em.expr(pointer)}) + (${index})))`;
  return `({ ${ct} ${v}; ${em.checkHelper(read, call, pointer.span)}; ${v}; })`;
}

/** Whether a member access on a value of type `t` is on a struct the script defines (pointer to it, or a value of it). */
export function isScriptStructAccess(t: ValueType): boolean {
  return (t.kind === 'pointer' || t.kind === 'struct') && t.btfId === undefined;
}

/**
 * A member of a struct the script defines (no BTF id, no CO-RE needed: its
 * layout is the script's): read from memory at the member's offset when the
 * struct is in memory (behind a pointer, also through embedded structs), or
 * from the bytes of a value already on the stack. Bitfields are read from
 * the bytes that hold them, then shifted and masked.
 */
export function scriptMember(em: ProbeEmitter, e: A.FieldAccess, m: KernelMember): string {
  const t = em.typeOf(e);
  const ct = em.ctypes.name(t);
  const v = em.name('v');
  const at = m.bitfield ? Math.floor(m.bitfield.bitOffset / 8) : m.offset;
  const bytes = m.bitfield ? Math.ceil(((m.bitfield.bitOffset % 8) + m.bitfield.bitSize) / 8) : 0;
  const raw = em.name('raw');
  const extract = m.bitfield
    ? ` ${ct} ${v} = (${ct})((${raw} >> ${m.bitfield.bitOffset % 8}) & ${m.bitfield.bitSize >= 64 ? '~0ULL' : `${(1n << BigInt(m.bitfield.bitSize)) - 1n}ULL`});`
    : '';
  // A `char s[N]` member is a string one byte longer than the member, its NUL kept zero.
  const size = m.type.kind === 'string' ? String(m.type.size) : `sizeof(${v})`;
  const init = m.type.kind === 'string' ? ' = {}' : '';
  const base = scriptAddress(em, e.object);
  if (base) {
    const read = base.user ? 'bpf_probe_read_user' : 'bs_probe_read';
    if (!base.user) em.state.declare(PROBE_READ_ANY);
    if (m.bitfield) return `({ __u64 ${raw} = 0; ${em.checkHelper(read, `${read}(&${raw}, ${bytes}, (const void *)(${base.address} + ${at}))`, e.span)};${extract} ${v}; })`;
    return `({ ${ct} ${v}${init}; ${em.checkHelper(read, `${read}(&${v}, ${size}, (const void *)(${base.address} + ${at}))`, e.span)}; ${v}; })`;
  }
  const o = em.name('o');
  const value = `${em.ctypes.name(em.typeOf(e.object))} ${o} = ${em.expr(e.object)};`;
  if (m.bitfield) return `({ ${value} __u64 ${raw} = 0; __builtin_memcpy(&${raw}, (char *)&${o} + ${at}, ${bytes});${extract} ${v}; })`;
  return `({ ${value} ${ct} ${v}${init}; __builtin_memcpy(&${v}, (char *)&${o} + ${at}, ${size}); ${v}; })`;
}

/**
 * For an expression that denotes a script struct or an array in memory
 * (behind a pointer, members and elements of those): its address (a C
 * integer expression) and whether it is user memory; undefined for values
 * that only exist on the stack, and for kernel structs (read with CO-RE).
 */
export function scriptAddress(em: ProbeEmitter, e: A.Expr): { address: string; user: boolean } | undefined {
  const t = em.typeOf(e);
  if (t.kind === 'pointer' && t.btfId === undefined) return { address: `((__u64)(${em.expr(e)}))`, user: !!t.user };
  if (!(t.kind === 'struct' && t.btfId === undefined) && t.kind !== 'array') return undefined;
  if (e.kind === 'FieldAccess') {
    const ot = em.typeOf(e.object);
    const offset = isScriptStructAccess(ot) ? memberOffset(em, e, ot) : undefined;
    const outer = offset === undefined ? undefined : scriptAddress(em, e.object);
    return outer && { address: `(${outer.address} + ${offset})`, user: outer.user };
  }
  if (e.kind === 'Index') {
    const ot = em.typeOf(e.object);
    const outer = ot.kind === 'array' ? scriptAddress(em, e.object) : undefined;
    return outer && ot.kind === 'array' ? { address: elementAddress(em, e, ot, outer.address), user: outer.user } : undefined;
  }
  if (e.kind === 'Unary' && e.op === '*') {
    const pt = em.typeOf(e.operand);
    if (pt.kind === 'pointer' && pt.btfId === undefined) return { address: `((__u64)(${em.expr(e.operand)}))`, user: !!pt.user };
  }
  return undefined;
}

/** Where member `e.field` is in the struct `ot` is (or points at); undefined for a bitfield. */
function memberOffset(em: ProbeEmitter, e: A.FieldAccess, ot: ValueType): number | undefined {
  const m = em.types.members.get(e);
  if (m) return m.bitfield ? undefined : m.offset;
  return ot.kind === 'struct' ? ot.fields.find((f) => f.name === e.field)?.offset : undefined;
}

/**
 * The address of element `e.index` of the array at `base` (an index out of
 * bounds warns at run time, and is read anyway, as bpftrace; a zero-length
 * array is a flexible one: any index is in it).
 */
function elementAddress(em: ProbeEmitter, e: A.Index, array: Extract<ValueType, { kind: 'array' }>, base: string): string {
  const idx = em.name('idx');
  const constant = em.types.constants.get(e.index);
  const inRange = constant !== undefined && constant >= 0n && constant < BigInt(array.length);
  const check = array.length > 0 && !inRange ? ` if (${idx} >= ${array.length}) ${runtimeError(em, RUNTIME_ERRORS.arrayOutOfBounds, e.span)};` : '';
  return `({ __u64 ${idx} = ${em.expr(e.index)};${check} ${base} + ${idx} * ${sizeOf(array.element)}; })`;
}

/**
 * `a[i]` of an array in memory: only the element is read (so arrays of any
 * length read right, flexible ones included); undefined when the array is a
 * value on the stack.
 */
export function readElementInMemory(em: ProbeEmitter, e: A.Index): string | undefined {
  const array = em.typeOf(e.object);
  const outer = array.kind === 'array' ? scriptAddress(em, e.object) : undefined;
  if (!outer || array.kind !== 'array') return undefined;
  return readAt(em, { address: elementAddress(em, e, array, outer.address), user: outer.user }, em.typeOf(e), e.span);
}

/** Whether scriptAddress finds `e` in memory (nothing is emitted to find out). */
export function inScriptMemory(em: ProbeEmitter, e: A.Expr): boolean {
  const t = em.typeOf(e);
  if (t.kind === 'pointer') return t.btfId === undefined;
  if (!(t.kind === 'struct' && t.btfId === undefined) && t.kind !== 'array') return false;
  if (e.kind === 'FieldAccess') {
    const ot = em.typeOf(e.object);
    return isScriptStructAccess(ot) && memberOffset(em, e, ot) !== undefined && inScriptMemory(em, e.object);
  }
  if (e.kind === 'Index') return em.typeOf(e.object).kind === 'array' && inScriptMemory(em, e.object);
  if (e.kind === 'Unary' && e.op === '*') {
    const pt = em.typeOf(e.operand);
    return pt.kind === 'pointer' && pt.btfId === undefined;
  }
  return false;
}

function readAt(em: ProbeEmitter, at: { address: string; user: boolean }, t: ValueType, span: Span): string {
  const read = at.user ? 'bpf_probe_read_user' : 'bs_probe_read';
  if (!at.user) em.state.declare(PROBE_READ_ANY);
  const ct = em.ctypes.name(t);
  const v = em.name('v');
  return `({ ${ct} ${v}; ${em.checkHelper(read, `${read}(&${v}, sizeof(${v}), (const void *)(${at.address}))`, span)}; ${v}; })`;
}
