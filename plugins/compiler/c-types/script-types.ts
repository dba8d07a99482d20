// The script's own C types (from the BTF of its compiled definitions) in front
// of the kernel's: a KernelTypes whose `byName` answers `struct Foo`,
// `union U`, `enum E` and typedef names the script (or a header it includes)
// defines, and otherwise asks the kernel's. As upstream, the script's
// definition wins over a kernel type of the same name.
//
// The script's structs are plain StructType values with every member laid out
// (no `btfId`: that means vmlinux); pointers to them have no `btfId` either
// and name their pointee (`struct Foo`), and `member()` finds members through
// them (bitfields and members of anonymous unions included) for the type pass.
// Kernel types the definitions use (pointers to `struct task_struct`, a
// `struct list_head` member) are the kernel's own, with their BTF ids.
import type { KernelDeclarations, KernelMember, KernelTypes, ValueType } from '../../../sdk/index.ts';
import { BtfValueTypes, withBitfields, type Btf, type Resolved, type ResolvedOf, type TypeId } from '../../../lib/btf/index.ts';
import type { Extracted } from './extract.ts';

/** An enum constant of the script: its value and its type (64-bit, named by its enum so it prints symbolically). */
export interface EnumConstant {
  name: string;
  value: bigint;
  type: ValueType;
}

/** bpftrace's name of an integer type (`uint32`), which the type pass resolves back. */
export function intTypeName(size: number, signed: boolean): string {
  return `${signed ? 'int' : 'uint'}${size * 8}`;
}

export class ScriptTypes implements KernelTypes {
  private readonly btf: Btf;
  /** The script's BTF as value types: its own structs laid out and untagged, kernel types the kernel's. */
  private readonly types: BtfValueTypes;
  /** StructType names this class made -> BTF id of the struct/union. */
  private readonly structIds = new Map<string, TypeId>();
  private readonly enums = new Map<string, Map<bigint, string>>();

  constructor(
    private readonly base: KernelTypes,
    private readonly x: Extracted,
  ) {
    this.btf = x.btf;
    this.types = new BtfValueTypes(x.btf, {
      enumType: (r, size) => this.enumType(r, size),
      pointer: (r) => this.pointer(r.type.type),
      composite: (r) => this.composite(r),
      forward: (r) => {
        const name = `${r.type.union ? 'union' : 'struct'} ${r.type.name}`;
        return this.base.byName(withoutFlavor(name)) ?? { kind: 'struct', name, fields: [], size: 0 };
      },
    });
    for (const e of x.scan.anonymousEnums) {
      this.enums.set(e.name, new Map([...e.enumerators].reverse().map((n) => [x.anonymousValues.get(n) ?? 0n, n])));
    }
  }

  get available(): boolean {
    return this.base.available;
  }

  /** The BTF id of a type the script defines, by its C name; undefined for anything else. */
  private scriptTypeId(name: string): TypeId | undefined {
    const made = this.structIds.get(name);
    if (made) return made;
    const tag = /^(struct|union|enum) ([A-Za-z_]\w*)$/.exec(name);
    if (tag) {
      if (!this.x.scan.tags.has(name)) return undefined;
      return this.btf.findByName(tag[1] === 'enum' ? ['enum', 'enum64'] : (tag[1] as 'struct' | 'union'), tag[2]!);
    }
    return this.x.scan.typedefs.has(name) ? this.btf.findByName('typedef', name) : undefined;
  }

  /** Whether a name of the script's BTF is one the script defines (not a kernel type declared for it). */
  private isScriptTag(kind: string, name: string): boolean {
    return this.x.scan.tags.has(`${kind} ${name}`);
  }

  byName(name: string): ValueType | undefined {
    const n = name.trim().replace(/\s+/g, ' ');
    const id = this.scriptTypeId(n);
    if (id !== undefined) return this.types.fromId(id);
    const kernel = this.base.byName(n);
    if (kernel || !this.x.scan.declared.has(n) || n.startsWith('enum ')) return kernel;
    // Declared, never defined (`struct Foo;`): pointers to it are fine, its members are not.
    this.structIds.set(n, 0);
    return { kind: 'struct', name: n, fields: [], size: 0 };
  }

  fromId(id: number): ValueType {
    return this.base.fromId(id);
  }

  pointerTo(t: ValueType): ValueType {
    if (t.kind === 'struct' && t.btfId === undefined && this.structIds.has(t.name)) return { kind: 'pointer', pointee: t.name };
    return this.base.pointerTo(t);
  }

  /** The script struct `t` is, or points at (undefined for one only declared: it has no members). */
  private structIdOf(t: ValueType): TypeId | undefined {
    if (t.kind === 'struct' && t.btfId === undefined) return this.structIds.get(t.name) || undefined;
    if (t.kind === 'pointer' && t.btfId === undefined && t.pointee !== 'void') {
      const target = this.byName(t.pointee);
      return target?.kind === 'struct' && target.btfId === undefined ? this.structIds.get(target.name) || undefined : undefined;
    }
    return undefined;
  }

  member(t: ValueType, name: string): KernelMember | undefined {
    const id = this.structIdOf(t);
    return id === undefined ? this.base.member(t, name) : this.types.member(id, name);
  }

  complete(t: ValueType): ValueType {
    return this.structIdOf(t) !== undefined ? t : this.base.complete(t);
  }

  members(t: ValueType): KernelMember[] {
    const id = this.structIdOf(t);
    return id === undefined ? this.base.members(t) : this.types.members(id);
  }

  iterators(): string[] {
    return this.base.iterators?.() ?? [];
  }

  rawTracepoints(): { module: string; event: string }[] {
    return this.base.rawTracepoints?.() ?? [];
  }

  rawTracepointArgs(name: string): { name: string; type: ValueType }[] | undefined {
    return this.base.rawTracepointArgs(name);
  }

  hasFunction(name: string): boolean {
    return this.base.hasFunction?.(name) ?? this.base.functionSignature(name) !== undefined;
  }

  functionSignature(name: string): ReturnType<KernelTypes['functionSignature']> {
    return this.base.functionSignature(name);
  }

  variable(name: string): ReturnType<KernelTypes['variable']> {
    return this.base.variable(name);
  }

  enumValues(name: string): Map<bigint, string> | undefined {
    // Converting the type registers its names (a typedef'd anonymous enum is known by the typedef).
    if (!this.enums.has(name) && this.byName(`enum ${name}`) === undefined) this.byName(name);
    return this.enums.get(name) ?? this.base.enumValues(name);
  }

  /** The kernel's: the script's own types are spelled as plain C structs, not declared from BTF. */
  /** The kernel's layout: a script's own struct of the same name does not move the kernel's members. */
  memberLayout(structName: string, memberName: string): { offset: number; size: number } | undefined {
    return this.base.memberLayout(structName, memberName);
  }

  declarations(): KernelDeclarations {
    return this.base.declarations();
  }

  private constantsByName: Map<string, EnumConstant> | undefined;

  /** An enumerator of the enums the script defines, by name (the enums are read on first use). */
  enumConstant(name: string): EnumConstant | undefined {
    this.constantsByName ??= new Map(this.enumConstants().map((c) => [c.name, c]));
    return this.constantsByName.get(name);
  }

  /** Every enumerator of the enums the script defines (named, typedef'd or anonymous). */
  enumConstants(): EnumConstant[] {
    const out: EnumConstant[] = [];
    const add = (enumName: string, values: [string, bigint][], signed: boolean) => {
      const type: ValueType = { kind: 'int', size: 8, signed: signed || values.some(([, v]) => v < 0n), enumName };
      for (const [name, value] of values) out.push({ name, value, type });
    };
    const fromBtf = (id: TypeId | undefined) => {
      if (id === undefined) return;
      const t = this.types.fromId(id);
      const r = this.btf.resolve(id);
      if (t.kind !== 'int' || !t.enumName || (r.type.kind !== 'enum' && r.type.kind !== 'enum64')) return;
      add(t.enumName, this.btf.enumValues(r.id).map((v) => [v.name, v.value]), r.type.signed);
    };
    for (const tag of this.x.scan.tags) if (tag.startsWith('enum ')) fromBtf(this.scriptTypeId(tag));
    for (const name of this.x.scan.typedefs) {
      const id = this.btf.findByName('typedef', name);
      if (id !== undefined && this.btf.resolve(id).type.name === '') fromBtf(id);
    }
    for (const e of this.x.scan.anonymousEnums) add(e.name, e.enumerators.map((n) => [n, this.x.anonymousValues.get(n) ?? 0n]), false);
    return out;
  }

  // ---------------------------------------------------------------- BTF -> value types

  private enumType(r: ResolvedOf<'enum' | 'enum64'>, size: 1 | 2 | 4 | 8): ValueType {
    const t = r.type;
    if (t.name && !this.isScriptTag('enum', t.name)) {
      const kernel = this.base.byName(`enum ${withoutFlavor(t.name)}`);
      if (kernel) return kernel;
    }
    const first = t.values[0]?.name;
    const name = t.name || r.typedefs[0] || this.x.scan.anonymousEnums.find((e) => e.enumerators[0] === first)?.name || `(anonymous enum ${r.id})`;
    if (!this.enums.has(name)) this.enums.set(name, new Map([...t.values].reverse().map((v) => [BigInt.asUintN(size * 8, v.value), v.name])));
    return { kind: 'int', size, signed: t.signed, enumName: name };
  }

  private pointer(targetId: TypeId): ValueType {
    const r = this.btf.resolve(targetId);
    const target = r.type;
    if (target.kind === 'void' || target.kind === 'func_proto') return { kind: 'pointer', pointee: 'void' };
    if (target.kind === 'ptr') {
      // A pointer to a pointer names its pointee's spelling (`int32 *`), as written types do.
      const inner = this.pointer(target.type);
      return { kind: 'pointer', pointee: `${inner.kind === 'pointer' ? inner.pointee : 'void'}${inner.kind === 'pointer' && inner.pointee.endsWith('*') ? '' : ' '}*` };
    }
    if (target.kind === 'struct' || target.kind === 'union' || target.kind === 'fwd') {
      // Only the pointee's name: its members are laid out when it is used (a struct may point at itself).
      const kind = target.kind === 'fwd' ? (target.union ? 'union' : 'struct') : target.kind;
      if (target.kind === 'fwd' || (target.name && !this.isScriptTag(kind, target.name))) {
        const kernel = this.base.byName(`${kind} ${withoutFlavor(target.name)}`);
        if (kernel?.kind === 'struct') return this.base.pointerTo(kernel);
        return { kind: 'pointer', pointee: `${kind} ${target.name}` };
      }
      const name = compositeName(kind, r);
      this.structIds.set(name, r.id);
      return { kind: 'pointer', pointee: name };
    }
    const v = this.types.fromId(targetId);
    switch (v.kind) {
      case 'int':
        return { kind: 'pointer', pointee: v.enumName && this.byName(`enum ${v.enumName}`) ? `enum ${v.enumName}` : intTypeName(v.size, v.signed) };
      case 'bool':
        return { kind: 'pointer', pointee: 'bool' };
      default:
        return { kind: 'pointer', pointee: 'void' };
    }
  }

  private composite(r: ResolvedOf<'struct' | 'union'>): ValueType {
    const t = r.type;
    if (t.name && !this.isScriptTag(t.kind, t.name)) {
      // A kernel type declared for the definitions (`struct list_head` by value): the kernel's own.
      const kernel = this.base.byName(`${t.kind} ${withoutFlavor(t.name)}`);
      if (kernel) return kernel;
    }
    const name = compositeName(t.kind, r);
    this.structIds.set(name, r.id);
    return withBitfields({ kind: 'struct', name, fields: this.types.valueFields(r.id), size: t.size }, this.types.bitfields(r.id));
  }
}

/** How a script struct/union is named (and spelled in C): its tag, else its typedef's name, else one we make. */
function compositeName(kind: 'struct' | 'union', r: Resolved): string {
  return `${kind} ${r.type.name || r.typedefs[0] || `bs_anon_${r.id}`}`;
}

/** A kernel type declared under a `___bs` flavour (a clash with the script's names) is the kernel's `name`. */
function withoutFlavor(name: string): string {
  return name.replace(/___\w+$/, '');
}
