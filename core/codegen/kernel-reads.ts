// Members of kernel structs (BTF types), read with CO-RE: the member's
// address is relocated against the running kernel, and the partial kernel
// declarations record each member the unit touches.
import type * as A from '../syntax/ast.ts';
import type { KernelMember } from '../../sdk/index.ts';
import type { ProbeEmitter } from './emitter.ts';

/** A kernel struct in memory: a root pointer and the embedded members from it to the struct. */
interface KernelAddress {
  /** C expression of type `rootType *`. */
  root: string;
  rootType: string;
  /** Embedded members from the root to the struct (`['se', 'avg']`). */
  path: string[];
  /** The C spelling of the struct itself. */
  type: string;
  user: boolean;
  /** The root is the program's context (an iterator's `ctx`), which the program may load from directly. */
  context?: boolean;
}

/**
 * A member of a kernel struct, read with CO-RE: the address of the member
 * is relocated against the running kernel (`preserve_access_index`), and
 * only the member's bytes are copied. Chains through embedded structs stay
 * one address computation (`&p->se.avg`), never a copy of the outer struct.
 */
export function kernelMember(em: ProbeEmitter, e: A.FieldAccess, m: KernelMember): string {
  useKernelMember(em, e.object, e.field);
  const base = kernelAddress(em, e.object);
  const t = em.typeOf(e);
  const ct = em.ctypes.name(t);
  if (!base) {
    // A struct value already copied to the stack: plain C member access.
    return `(${em.expr(e.object)}).${e.field}`;
  }
  // The root pointer is computed first: preserve_access_index may not nest.
  const p = em.name('p');
  const v = em.name('v');
  const member = [...base.path, e.field];
  const head = `${base.rootType} *${p} = ${base.root};`;
  if (m.bitfield) {
    if (base.path.length) {
      const s = em.name('s');
      return `({ ${head} ${base.type} *${s} = &${p}->${base.path.join('.')}; (${ct})BPF_CORE_READ_BITFIELD_PROBED(${s}, ${e.field}); })`;
    }
    return `({ ${head} (${ct})BPF_CORE_READ_BITFIELD_PROBED(${p}, ${e.field}); })`;
  }
  if (base.context && !base.path.length && t.kind === 'pointer') {
    // A pointer in the context is loaded, not copied: the verifier then knows
    // what it points to (a BTF pointer), as helpers such as bpf_d_path and
    // bpf_get_socket_cookie require. The offset is BTF's, not relocated: the
    // verifier only allows loads at a constant offset from the context.
    return `(*(${ct} *)((char *)(${base.root}) + ${m.offset}))`;
  }
  const read = base.user ? 'bpf_probe_read_user' : 'bpf_probe_read_kernel';
  // NULL reads as zero (as in bpftrace); the check also lets the verifier
  // accept BTF pointers that may be NULL (iterator and tp_btf contexts).
  const call = `${read}(&${v}, sizeof(${v}), __builtin_preserve_access_index(&${p}->${member.join('.')}))`;
  return `({ ${head} ${ct} ${v}; __builtin_memset(&${v}, 0, sizeof(${v})); if (${p}) ${em.checkHelper(read, call, e.span)}; ${v}; })`;
}

/**
 * The address of the kernel struct an expression denotes (`args.file->f_path`,
 * a member reached through a pointer), as a u64 that is 0 when a pointer on
 * the way is NULL; undefined for values that only exist on the stack. The
 * address keeps the verifier's knowledge of the pointer it came from, so BTF
 * helpers (bpf_d_path) accept it.
 */
export function kernelStructAddress(em: ProbeEmitter, e: A.Expr): string | undefined {
  const base = kernelAddress(em, e);
  if (!base) return undefined;
  const p = em.name('p');
  const member = base.path.length ? `&${p}->${base.path.join('.')}` : p;
  return `({ ${base.rootType} *${p} = ${base.root}; ${p} ? (__u64)__builtin_preserve_access_index(${member}) : 0; })`;
}

/** The address of member `e.field` of a kernel struct in memory (CO-RE relocated; 0 when a pointer on the way is NULL). */
export function kernelMemberAddress(em: ProbeEmitter, e: A.FieldAccess): string | undefined {
  const base = kernelAddress(em, e.object);
  if (!base) return undefined;
  useKernelMember(em, e.object, e.field);
  const p = em.name('p');
  return `({ ${base.rootType} *${p} = ${base.root}; ${p} ? (__u64)__builtin_preserve_access_index(&${p}->${[...base.path, e.field].join('.')}) : 0; })`;
}

/**
 * For an expression that denotes a kernel struct in memory: where it is
 * (see KernelAddress); undefined for values that only exist on the stack.
 */
function kernelAddress(em: ProbeEmitter, e: A.Expr): KernelAddress | undefined {
  const t = em.typeOf(e);
  const kernel = () => em.ctypes.kernel();
  if (t.kind === 'pointer' && t.btfId !== undefined) {
    const target = kernelStructId(em, t.btfId);
    if (target === undefined) return undefined;
    const sname = kernel().spell(target);
    return { root: `((${sname} *)(${em.expr(e)}))`, rootType: sname, path: [], type: sname, user: !!t.user };
  }
  if (t.kind !== 'struct' || t.btfId === undefined) return undefined;
  const ctxAddress = e.kind === 'Identifier' ? em.types.context.get(e)?.cAddress : undefined;
  if (ctxAddress) {
    const sname = kernel().spell(t.btfId);
    return { root: `((${sname} *)(${ctxAddress}))`, rootType: sname, path: [], type: sname, user: false, context: true };
  }
  if (e.kind === 'FieldAccess' && em.types.members.has(e)) {
    const outer = kernelAddress(em, e.object);
    if (!outer) return undefined;
    useKernelMember(em, e.object, e.field);
    return { ...outer, path: [...outer.path, e.field], type: kernel().spell(t.btfId) };
  }
  if (e.kind === 'Unary' && e.op === '*') {
    const pt = em.typeOf(e.operand);
    if (pt.kind !== 'pointer') return undefined;
    const sname = kernel().spell(t.btfId);
    return { root: `((${sname} *)(${em.expr(e.operand)}))`, rootType: sname, path: [], type: sname, user: !!pt.user };
  }
  return undefined;
}

function kernelStructId(em: ProbeEmitter, btfId: number): number | undefined {
  const p = em.kernelTypes.fromId(btfId);
  return p.kind === 'struct' ? p.btfId : undefined;
}

/** Records that the unit touches `field` of the struct `object` denotes, for the partial declaration. */
function useKernelMember(em: ProbeEmitter, object: A.Expr, field: string): void {
  const t = em.typeOf(object);
  const id = t.kind === 'struct' ? t.btfId : t.kind === 'pointer' && t.btfId !== undefined ? kernelStructId(em, t.btfId) : undefined;
  if (id !== undefined) em.ctypes.kernel().useMember(id, field);
}
