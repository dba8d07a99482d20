// The types of the binaries a script's uprobes name, in front of the kernel's:
// `(struct Foo *)arg0` and the members of `args.foo1->...` resolve in the
// probed binaries' DWARF first (in probe order), then in kernel BTF. A
// script's own C definitions go in front of this layer (they win, as
// upstream's `struct Foo { int b; }` overrides a binary's `struct Foo`).
import type { KernelDeclarations, KernelMember, KernelTypes, ValueType } from '../../sdk/index.ts';
import type { BinaryTypes } from './binary-types.ts';

export class BinaryTypesLayer implements KernelTypes {
  private opened: BinaryTypes[] | undefined;

  /** `sources` open a binary's types when first asked (undefined: it has none): a script that uses none reads no DWARF. */
  constructor(
    private readonly base: KernelTypes,
    private readonly sources: readonly (() => BinaryTypes | undefined)[],
  ) {}

  /** The types behind the binaries' (the kernel's): what the script's C definitions are compiled against. */
  get kernel(): KernelTypes {
    return this.base;
  }

  private get binaries(): BinaryTypes[] {
    this.opened ??= this.sources.map((open) => open()).filter((b) => b !== undefined);
    return this.opened;
  }

  get available(): boolean {
    return this.base.available;
  }

  byName(name: string): ValueType | undefined {
    for (const b of this.binaries) {
      const t = b.byName(name);
      if (t) return t;
    }
    return this.base.byName(name);
  }

  fromId(id: number): ValueType {
    return this.base.fromId(id);
  }

  /** The binary that lays out the struct `t` is or points at; undefined for kernel types and others. */
  private owner(t: ValueType): { binary: BinaryTypes; name: string } | undefined {
    const name = t.kind === 'struct' && t.btfId === undefined ? t.name : t.kind === 'pointer' && t.btfId === undefined && t.pointee !== 'void' ? t.pointee : undefined;
    if (!name || !/^(struct|union) /.test(name)) return undefined;
    const binary = this.binaries.find((b) => b.structHome(name));
    return binary && { binary, name };
  }

  pointerTo(t: ValueType): ValueType {
    if (t.kind === 'struct' && this.owner(t)) return { kind: 'pointer', pointee: t.name, user: true };
    return this.base.pointerTo(t);
  }

  member(t: ValueType, name: string): KernelMember | undefined {
    const o = this.owner(t);
    return o ? o.binary.member(o.name, name) : this.base.member(t, name);
  }

  complete(t: ValueType): ValueType {
    return this.owner(t) ? t : this.base.complete(t);
  }

  members(t: ValueType): KernelMember[] {
    const o = this.owner(t);
    return o ? o.binary.members(o.name) : this.base.members(t);
  }

  iterators(): string[] {
    return this.base.iterators?.() ?? [];
  }

  rawTracepoints(): ReturnType<NonNullable<KernelTypes['rawTracepoints']>> {
    return this.base.rawTracepoints?.() ?? [];
  }

  rawTracepointArgs(name: string): ReturnType<KernelTypes['rawTracepointArgs']> {
    return this.base.rawTracepointArgs(name);
  }

  hasFunction(name: string): boolean {
    return this.base.hasFunction?.(name) ?? this.base.functionSignature(name) !== undefined;
  }

  functionSignature(name: string): ReturnType<KernelTypes['functionSignature']> {
    return this.base.functionSignature(name);
  }

  enumValues(name: string): Map<bigint, string> | undefined {
    return this.base.enumValues(name);
  }

  variable(name: string): ReturnType<KernelTypes['variable']> {
    return this.base.variable(name);
  }

  memberLayout(structName: string, memberName: string): { offset: number; size: number } | undefined {
    return this.base.memberLayout(structName, memberName);
  }

  declarations(): KernelDeclarations {
    return this.base.declarations();
  }
}
