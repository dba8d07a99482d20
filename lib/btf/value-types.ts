// BTF types as the Manifest's value types: one converter for every BTF, the
// kernel's (vmlinux) and a script's own (its compiled C definitions). Ints,
// floats, arrays and member lookup read the same in both; what a struct,
// union, pointer, enum or forward declaration becomes depends on whose type
// it is (a kernel struct stays lazy and carries its vmlinux id, a script's is
// laid out and carries none), so the owner of the BTF supplies those as a
// `BtfTypeTagging`.
import type { BitfieldLayout, KernelMember, NamedFieldLayout, StructType, ValueType } from '../../sdk/index.ts';
import type { Btf } from './btf.ts';
import type { KindName } from './format.ts';
import type { BtfTypeOf, Resolved, TypeId } from './model.ts';

/** A resolved type of one kind (`r.type` narrowed). */
export type ResolvedOf<K extends KindName> = Resolved & { type: BtfTypeOf<K> };

/** How one BTF's owner turns the kinds that differ between BTFs into value types. */
export interface BtfTypeTagging {
  /** An enum; `size` is its width (4 where BTF gives an odd one). */
  enumType(r: ResolvedOf<'enum' | 'enum64'>, size: 1 | 2 | 4 | 8): ValueType;
  /** A pointer (`r` is the `ptr` type itself). */
  pointer(r: ResolvedOf<'ptr'>): ValueType;
  composite(r: ResolvedOf<'struct' | 'union'>): ValueType;
  /** A forward declaration (`struct Foo;`). */
  forward(r: ResolvedOf<'fwd'>): ValueType;
}

/**
 * The value type of a BTF int or float: an integer of its width, a bool, or
 * its bytes. bpftrace has no floating point: a float has no value type
 * (`none`, printed as `null`), and using one in an expression is refused.
 */
function scalarValueType(t: BtfTypeOf<'int' | 'float'>): ValueType {
  if (t.kind === 'float') return { kind: 'none' };
  if (t.kind === 'int' && t.bool) return { kind: 'bool' };
  if (t.kind === 'int' && (t.size === 1 || t.size === 2 || t.size === 4 || t.size === 8)) return { kind: 'int', size: t.size, signed: t.signed };
  return { kind: 'array', element: { kind: 'int', size: 1, signed: false }, length: t.size, size: t.size };
}

/** `char x[N]` is a string, as bpftrace reads it (BTF marks `char` by name more often than by encoding). */
function isCharArray(btf: Btf, t: BtfTypeOf<'array'>): boolean {
  const elem = btf.resolve(t.type).type;
  return elem.kind === 'int' && elem.size === 1 && (elem.char || elem.name === 'char');
}

/** One BTF's types as value types (each id converted once), and its struct members. */
export class BtfValueTypes {
  private readonly cache = new Map<TypeId, ValueType>();

  constructor(
    readonly btf: Btf,
    private readonly tagging: BtfTypeTagging,
  ) {}

  fromId(id: TypeId): ValueType {
    let t = this.cache.get(id);
    if (!t) {
      t = this.convert(this.btf.resolve(id));
      this.cache.set(id, t);
    }
    return t;
  }

  private convert(r: Resolved): ValueType {
    const t = r.type;
    switch (t.kind) {
      case 'int':
      case 'float':
        return scalarValueType(t);
      case 'enum':
      case 'enum64':
        return this.tagging.enumType(r as ResolvedOf<'enum' | 'enum64'>, t.size === 1 || t.size === 2 || t.size === 4 || t.size === 8 ? t.size : 4);
      case 'ptr':
        return this.tagging.pointer(r as ResolvedOf<'ptr'>);
      case 'array': {
        if (isCharArray(this.btf, t)) return { kind: 'string', size: t.length };
        const element = this.fromId(t.type);
        return { kind: 'array', element, length: t.length, size: this.btf.sizeof(r.id) };
      }
      case 'struct':
      case 'union':
        return this.tagging.composite(r as ResolvedOf<'struct' | 'union'>);
      case 'fwd':
        return this.tagging.forward(r as ResolvedOf<'fwd'>);
      default:
        return { kind: 'none' };
    }
  }

  /** A member of a struct/union by name, through anonymous members as C finds it; undefined if absent. */
  member(structId: TypeId, name: string): KernelMember | undefined {
    const found = this.btf.member(structId, name);
    if (!found) return undefined;
    const m: KernelMember = { name, type: this.fromId(found.type), offset: Math.floor(found.bitOffset / 8) };
    if (found.bitSize > 0) m.bitfield = { bitOffset: found.bitOffset, bitSize: found.bitSize };
    return m;
  }

  /** Every named member of a struct/union in order, those of anonymous struct/union members in place. */
  members(structId: TypeId): KernelMember[] {
    const out: KernelMember[] = [];
    const walk = (id: TypeId, base: number) => {
      for (const m of this.btf.members(id)) {
        const r = this.btf.resolve(m.type);
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
    walk(structId, 0);
    return out;
  }

  /**
   * A struct laid out for a whole value (types with no vmlinux id: a
   * script's, a binary's): named, non-bitfield members; an anonymous
   * struct's members in place; of an anonymous union inside a struct only its
   * first member (so fields never overlap). The rest is reached through
   * `member()`.
   */
  valueFields(id: TypeId, baseBits = 0): NamedFieldLayout[] {
    const t = this.btf.type(id) as BtfTypeOf<'struct' | 'union'>;
    const out: NamedFieldLayout[] = [];
    for (const m of t.members) {
      if (m.bitSize > 0) continue;
      const bits = baseBits + m.bitOffset;
      if (m.name === '') {
        const inner = this.btf.resolve(m.type);
        if (t.kind === 'struct' && (inner.type.kind === 'struct' || inner.type.kind === 'union')) {
          const nested = this.valueFields(inner.id, bits);
          out.push(...(inner.type.kind === 'union' ? nested.slice(0, 1) : nested));
        }
        continue;
      }
      out.push({ name: m.name, type: this.fromId(m.type), offset: bits / 8 });
    }
    return out;
  }

  /** The named bitfields of a struct/union (those of anonymous members in place), for printing a whole value. */
  bitfields(id: TypeId): BitfieldLayout[] {
    return this.members(id).filter((m) => m.bitfield).map((m) => ({ name: m.name, type: m.type, ...m.bitfield! }));
  }
}

/** A struct value type with its bitfields when it has any (a struct without them stays as it was). */
export function withBitfields(t: StructType, bitfields: BitfieldLayout[]): StructType {
  return bitfields.length > 0 ? { ...t, bitfields } : t;
}
