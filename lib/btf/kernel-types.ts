// The SDK's KernelTypes over the running kernel's BTF: BTF types as the
// Manifest's value types (through value-types.ts). Kernel structs stay lazy (fields only when a whole
// value is needed); pointers carry their pointee's BTF id so fields can be
// read through them with CO-RE.
import { CompileError, type KernelDeclarations, type KernelMember, type KernelParam, type KernelTypes, type NamedFieldLayout, type ValueType } from '../../sdk/index.ts';
import type { Btf } from './btf.ts';
import { CDeclarations } from './emit-c.ts';
import { kernelBtf, type KernelBtf } from './kernel.ts';
import { ownNamesStartingWith } from './name-prefix.ts';
import type { TypeId } from './model.ts';
import { BtfValueTypes, withBitfields, type ResolvedOf } from './value-types.ts';

const intNames: Record<string, [1 | 2 | 4 | 8, boolean]> = {
  char: [1, true], 'signed char': [1, true], 'unsigned char': [1, false],
  short: [2, true], 'unsigned short': [2, false], int: [4, true], 'unsigned int': [4, false],
  long: [8, true], 'unsigned long': [8, false], 'long long': [8, true], 'unsigned long long': [8, false],
};

export class BtfKernelTypes implements KernelTypes {
  private btfOrUndefined: Btf | null | undefined;
  private converter: BtfValueTypes | undefined;

  constructor(private readonly kernel: KernelBtf = kernelBtf()) {}

  /** vmlinux BTF, or undefined when the kernel has none (read on first use). */
  get btf(): Btf | undefined {
    if (this.btfOrUndefined === undefined) {
      try {
        this.btfOrUndefined = this.kernel.vmlinux;
      } catch {
        this.btfOrUndefined = null;
      }
    }
    return this.btfOrUndefined ?? undefined;
  }

  get available(): boolean {
    return this.btf !== undefined;
  }

  byName(name: string): ValueType | undefined {
    const btf = this.btf;
    const n = name.trim().replace(/\s+/g, ' ');
    if (intNames[n]) return { kind: 'int', size: intNames[n][0], signed: intNames[n][1] };
    if (!btf) return undefined;
    const m = /^(struct|union|enum) (\w+)$/.exec(n);
    const id = m ? btf.findByName(m[1] === 'enum' ? ['enum', 'enum64'] : (m[1] as 'struct' | 'union'), m[2]) : btf.findByName('typedef', n);
    return id === undefined ? undefined : this.fromId(id);
  }

  fromId(id: TypeId): ValueType {
    return this.types!.fromId(id);
  }

  /** vmlinux types as value types (undefined without BTF). */
  private get types(): BtfValueTypes | undefined {
    const btf = this.btf;
    if (btf && !this.converter) {
      this.converter = new BtfValueTypes(btf, {
        enumType: (r, size) => ({ kind: 'int', size, signed: r.type.signed, ...(r.type.name ? { enumName: r.type.name } : {}) }),
        pointer: (r) => this.pointer(btf, r),
        composite: (r) => ({ kind: 'struct', name: `${r.type.kind} ${r.type.name || `(anonymous at ${r.id})`}`, fields: [], size: r.type.size, btfId: r.id }),
        forward: (r) => this.forward(btf, r),
      });
    }
    return this.converter;
  }

  /** A pointer tagged with its pointee's id, so fields are read through it with CO-RE. */
  private pointer(btf: Btf, r: ResolvedOf<'ptr'>): ValueType {
    const p = btf.pointee(r.id)!;
    const pointee = p.type.kind === 'void' ? 'void' : btf.typeToC(p.id);
    return { kind: 'pointer', pointee, ...(p.type.kind !== 'void' ? { btfId: p.id } : {}), ...(p.userSpace ? { user: true } : {}) };
  }

  /** A forward declaration is its full definition where vmlinux has one. */
  private forward(btf: Btf, r: ResolvedOf<'fwd'>): ValueType {
    const t = r.type;
    const full = btf.findByName(t.union ? 'union' : 'struct', t.name);
    if (full !== undefined) return this.fromId(full);
    return { kind: 'struct', name: `${t.union ? 'union' : 'struct'} ${t.name}`, fields: [], size: 0, btfId: r.id };
  }

  pointerTo(t: ValueType): ValueType {
    if (t.kind === 'struct') return { kind: 'pointer', pointee: t.name, ...(t.btfId !== undefined ? { btfId: t.btfId } : {}) };
    if (t.kind === 'int') return { kind: 'pointer', pointee: `${t.signed ? '' : 'unsigned '}${{ 1: 'char', 2: 'short', 4: 'int', 8: 'long long' }[t.size]}` };
    return { kind: 'pointer', pointee: 'void' };
  }

  private structId(t: ValueType): TypeId | undefined {
    if (t.kind === 'struct') return t.btfId;
    if (t.kind === 'pointer' && t.btfId !== undefined) {
      const pointee = this.fromId(t.btfId);
      return pointee.kind === 'struct' ? pointee.btfId : undefined;
    }
    return undefined;
  }

  member(t: ValueType, name: string): KernelMember | undefined {
    const id = this.structId(t);
    return id === undefined ? undefined : this.types?.member(id, name);
  }

  members(t: ValueType): KernelMember[] {
    const id = this.structId(t);
    return (id === undefined ? undefined : this.types?.members(id)) ?? [];
  }

  /** A whole struct value: its named, non-bitfield members as fields (for printing and copies). */
  complete(t: ValueType): ValueType {
    if (t.kind !== 'struct' || t.btfId === undefined || t.fields.length > 0) return t;
    const members = this.members(t);
    const fields: NamedFieldLayout[] = members
      .filter((m) => !m.bitfield)
      .map((m) => ({ name: m.name, type: m.type.kind === 'struct' ? this.complete(m.type) : m.type, offset: m.offset }));
    const bitfields = members.filter((m) => m.bitfield).map((m) => ({ name: m.name, type: m.type, ...m.bitfield! }));
    return withBitfields({ ...t, fields }, bitfields);
  }

  iterators(): string[] {
    return (this.btf ? ownNamesStartingWith(this.btf, 'bpf_iter__', 'struct') : []).map((n) => n.slice('bpf_iter__'.length));
  }

  rawTracepoints(): { module: string; event: string }[] {
    return this.btf ? this.kernel.rawTracepoints() : [];
  }

  rawTracepointArgs(name: string): KernelParam[] | undefined {
    const btf = this.btf;
    if (!btf) return undefined;
    const args = btf.rawTracepointArgs(name);
    return args?.map((a, i) => ({ name: a.name || `arg${i}`, type: this.fromId(a.type), cType: btf.typeToC(a.type) }));
  }

  hasFunction(name: string): boolean {
    return (this.btf?.findAllByName(name, 'func').length ?? 0) > 0;
  }

  functionSignature(name: string): { params: KernelParam[]; returnType: ValueType; returnCType: string } | undefined {
    const btf = this.btf;
    const sig = btf?.funcProto(name);
    if (!btf || !sig) return undefined;
    return {
      params: sig.params.map((p, i) => ({ name: p.name || `arg${i}`, type: this.fromId(p.type), cType: btf.typeToC(p.type) })),
      returnType: this.fromId(sig.returnType),
      returnCType: btf.typeToC(sig.returnType),
    };
  }

  variable(name: string): { type: ValueType } | undefined {
    const btf = this.btf;
    const id = btf?.findByName('var', name);
    if (!btf || id === undefined) return undefined;
    const v = btf.type(id);
    return v.kind === 'var' ? { type: this.fromId(v.type) } : undefined;
  }

  enumValues(name: string): Map<bigint, string> | undefined {
    const btf = this.btf;
    if (!btf) return undefined;
    const id = btf.findByName(['enum', 'enum64'], name);
    if (id === undefined) return undefined;
    return new Map(btf.enumValues(id).map((v) => [v.value, v.name]));
  }

  memberLayout(structName: string, memberName: string): { offset: number; size: number } | undefined {
    return this.kernel.memberLayout(structName, memberName);
  }

  declarations(): KernelDeclarations {
    const btf = this.btf;
    if (!btf) throw new CompileError({ severity: 'ERROR', message: 'Kernel types are needed but this kernel has no BTF (/sys/kernel/btf/vmlinux)' });
    return new CDeclarations(btf);
  }
}
