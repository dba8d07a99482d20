// The SDK's KernelTypes over the running kernel's BTF: BTF types as the
// Manifest's value types. Kernel structs stay lazy (fields only when a whole
// value is needed); pointers carry their pointee's BTF id so fields can be
// read through them with CO-RE.
import { CompileError, type KernelDeclarations, type KernelMember, type KernelParam, type KernelTypes, type NamedFieldLayout, type ValueType } from '../../sdk/index.ts';
import type { Btf } from './btf.ts';
import { CDeclarations } from './emit-c.ts';
import { kernelBtf, type KernelBtf } from './kernel.ts';
import type { BtfTypeOf, TypeId } from './model.ts';

const intNames: Record<string, [1 | 2 | 4 | 8, boolean]> = {
  char: [1, true], 'signed char': [1, true], 'unsigned char': [1, false],
  short: [2, true], 'unsigned short': [2, false], int: [4, true], 'unsigned int': [4, false],
  long: [8, true], 'unsigned long': [8, false], 'long long': [8, true], 'unsigned long long': [8, false],
};

/** The value type of a BTF int or float: an integer of its width, a bool, or its bytes. */
export function scalarValueType(t: BtfTypeOf<'int' | 'float'>): ValueType {
  if (t.kind === 'int' && t.bool) return { kind: 'bool' };
  if (t.kind === 'int' && (t.size === 1 || t.size === 2 || t.size === 4 || t.size === 8)) return { kind: 'int', size: t.size, signed: t.signed };
  return { kind: 'array', element: { kind: 'int', size: 1, signed: false }, length: t.size, size: t.size };
}

/** `char x[N]` is a string, as bpftrace reads it (BTF marks `char` by name more often than by encoding). */
export function isCharArray(btf: Btf, t: BtfTypeOf<'array'>): boolean {
  const elem = btf.resolve(t.type).type;
  return elem.kind === 'int' && elem.size === 1 && (elem.char || elem.name === 'char');
}

export class BtfKernelTypes implements KernelTypes {
  private readonly cache = new Map<TypeId, ValueType>();
  private btfOrUndefined: Btf | null | undefined;

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
    let t = this.cache.get(id);
    if (!t) {
      t = this.convert(id);
      this.cache.set(id, t);
    }
    return t;
  }

  private convert(id: TypeId): ValueType {
    const btf = this.btf!;
    const r = btf.resolve(id);
    const t = r.type;
    switch (t.kind) {
      case 'int':
      case 'float':
        return scalarValueType(t);
      case 'enum':
      case 'enum64': {
        const size = t.size === 1 || t.size === 2 || t.size === 4 || t.size === 8 ? t.size : 4;
        return { kind: 'int', size, signed: t.signed, ...(t.name ? { enumName: t.name } : {}) };
      }
      case 'ptr': {
        const p = btf.pointee(r.id)!;
        const pointee = p.type.kind === 'void' ? 'void' : btf.typeToC(p.id);
        return { kind: 'pointer', pointee, ...(p.type.kind !== 'void' ? { btfId: p.id } : {}), ...(p.userSpace ? { user: true } : {}) };
      }
      case 'array': {
        if (isCharArray(btf, t)) return { kind: 'string', size: t.length };
        const element = this.fromId(t.type);
        const size = btf.sizeof(r.id);
        return { kind: 'array', element, length: t.length, size };
      }
      case 'struct':
      case 'union':
        return { kind: 'struct', name: `${t.kind} ${t.name || `(anonymous at ${r.id})`}`, fields: [], size: t.size, btfId: r.id };
      case 'fwd': {
        const full = btf.findByName(t.union ? 'union' : 'struct', t.name);
        if (full !== undefined) return this.fromId(full);
        return { kind: 'struct', name: `${t.union ? 'union' : 'struct'} ${t.name}`, fields: [], size: 0, btfId: r.id };
      }
      default:
        return { kind: 'none' };
    }
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
    const btf = this.btf;
    if (id === undefined || !btf) return undefined;
    const found = btf.member(id, name);
    if (!found) return undefined;
    const m: KernelMember = { name, type: this.fromId(found.type), offset: Math.floor(found.bitOffset / 8) };
    if (found.bitSize > 0) m.bitfield = { bitOffset: found.bitOffset, bitSize: found.bitSize };
    return m;
  }

  members(t: ValueType): KernelMember[] {
    const id = this.structId(t);
    const btf = this.btf;
    if (id === undefined || !btf) return [];
    const out: KernelMember[] = [];
    const walk = (structId: TypeId, base: number) => {
      for (const m of btf.members(structId)) {
        const r = btf.resolve(m.type);
        if (m.name === '' && (r.type.kind === 'struct' || r.type.kind === 'union')) {
          walk(r.id, base + m.bitOffset);
          continue;
        }
        if (m.name === '') continue;
        const member: KernelMember = { name: m.name, type: this.fromId(m.type), offset: Math.floor((base + m.bitOffset) / 8) };
        if (m.bitSize > 0) member.bitfield = { bitOffset: base + m.bitOffset, bitSize: m.bitSize };
        out.push(member);
      }
    };
    walk(id, 0);
    return out;
  }

  /** A whole struct value: its named, non-bitfield members as fields (for printing and copies). */
  complete(t: ValueType): ValueType {
    if (t.kind !== 'struct' || t.btfId === undefined || t.fields.length > 0) return t;
    const fields: NamedFieldLayout[] = this.members(t)
      .filter((m) => !m.bitfield)
      .map((m) => ({ name: m.name, type: m.type.kind === 'struct' ? this.complete(m.type) : m.type, offset: m.offset }));
    return { ...t, fields };
  }

  rawTracepointArgs(name: string): KernelParam[] | undefined {
    const btf = this.btf;
    if (!btf) return undefined;
    const args = btf.rawTracepointArgs(name);
    return args?.map((a, i) => ({ name: a.name || `arg${i}`, type: this.fromId(a.type), cType: btf.typeToC(a.type) }));
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

  enumValues(name: string): Map<bigint, string> | undefined {
    const btf = this.btf;
    if (!btf) return undefined;
    const id = btf.findByName(['enum', 'enum64'], name);
    if (id === undefined) return undefined;
    return new Map(btf.enumValues(id).map((v) => [v.value, v.name]));
  }

  declarations(): KernelDeclarations {
    const btf = this.btf;
    if (!btf) throw new CompileError({ severity: 'ERROR', message: 'Kernel types are needed but this kernel has no BTF (/sys/kernel/btf/vmlinux)' });
    return new CDeclarations(btf);
  }
}
