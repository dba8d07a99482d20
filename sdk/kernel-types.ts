// Kernel types (from BTF) as value types: how providers type their context
// (`args` of raw tracepoints) and builtins their results (`curtask`).
import type { ValueType } from '../core/manifest/index.ts';

export interface KernelMember {
  name: string;
  type: ValueType;
  /** Byte offset in the enclosing struct (anonymous containers added up). */
  offset: number;
  /** Set for bitfields: the bit position within the struct and the width. */
  bitfield?: { bitOffset: number; bitSize: number };
}

/** A typed parameter (raw tracepoint argument, function parameter). */
export interface KernelParam {
  name: string;
  type: ValueType;
  /** The C spelling of its type (`struct task_struct *`), for listings. */
  cType?: string;
}

/**
 * Declarations of kernel types for CO-RE in one generated C unit: the types
 * and members the unit uses, spelled and declared (lib/btf's CDeclarations).
 */
export interface KernelDeclarations {
  /** The C spelling of a kernel type; declares it. */
  spell(typeId: number, name?: string): string;
  /** Marks a member as used, so the partial struct declaration includes it. */
  useMember(typeId: number, name: string): unknown;
  /** C text declaring every kernel type used so far ('' when none). */
  emit(): string;
}

export interface KernelTypes {
  /** Whether kernel BTF can be read on this machine. */
  readonly available: boolean;
  /** A type by C name: `struct task_struct`, `union bpf_attr`, `enum pid_type`, a typedef (`pid_t`), or an int type (`unsigned int`). */
  byName(name: string): ValueType | undefined;
  /** The value type of a BTF type id (vmlinux). */
  fromId(id: number): ValueType;
  /** A pointer to `t` (typed when `t` is a kernel type). */
  pointerTo(t: ValueType): ValueType;
  /** A member of a kernel struct/union, or of the struct a pointer points at. */
  member(t: ValueType, name: string): KernelMember | undefined;
  /** A kernel struct with its `fields` filled in (named, non-bitfield members), for whole values. */
  complete(t: ValueType): ValueType;
  /** Every named member of a kernel struct (for printing or copying a whole value). */
  members(t: ValueType): KernelMember[];
  /** Every raw tracepoint the kernel has (a `btf_trace_<event>` in the BTF of vmlinux or a module), for listings; [] without BTF. */
  rawTracepoints?(): { module: string; event: string }[];
  /** The BPF iterators the kernel has (`task` for a `struct bpf_iter__task` in vmlinux's BTF), sorted; [] without BTF. */
  iterators?(): string[];
  /** The typed arguments of a raw tracepoint (`btf_trace_<name>`), or undefined. */
  rawTracepointArgs(name: string): KernelParam[] | undefined;
  /** A kernel function's typed parameters and return type (BTF FUNC), or undefined. */
  functionSignature(name: string): { params: KernelParam[]; returnType: ValueType; returnCType?: string } | undefined;
  /** Whether the kernel's BTF has a function of that name: what functionSignature answers without building the types (for listings). */
  hasFunction?(name: string): boolean;
  /** A kernel global variable (a BTF VAR: per-CPU variables such as `runqueues` are there), with its type, or undefined. */
  variable(name: string): { type: ValueType } | undefined;
  /** Names and values of a kernel enum (for symbolic printing). */
  enumValues(name: string): Map<bigint, string> | undefined;
  /**
   * Byte offset and size of a direct member of a vmlinux struct
   * (`task_struct`, `comm`), or undefined. Answered with a few reads of the
   * BTF file when nothing has read all of it yet: for C that reads one fixed
   * member without declaring the struct (no CO-RE relocation, which would have
   * libbpf read the whole BTF at load).
   */
  memberLayout(structName: string, memberName: string): { offset: number; size: number } | undefined;
  /** Fresh CO-RE declarations for one generated C unit; throws a CompileError when the kernel has no BTF. */
  declarations(): KernelDeclarations;
}
