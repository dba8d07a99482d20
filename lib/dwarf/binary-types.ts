// A binary's types (its DWARF, as BTF per unit) as the Manifest's value types,
// through lib/btf's one converter. They live in user memory: pointers are
// marked `user` (reads use bpf_probe_read_user) and structs are laid out from
// the binary's layout (no vmlinux `btfId`, no CO-RE), as a script's own C
// structs are. Integers, arrays and strings (`char x[N]`) read as the
// kernel's do; enums are plain unsigned integers, as bpftrace reads DWARF.
import type { KernelMember, KernelParam, ValueType } from '../../sdk/index.ts';
import { BtfValueTypes, withBitfields, type Btf, type ResolvedOf, type TypeId } from '../btf/index.ts';
import type { DwarfBinary, FunctionBtf } from './binary.ts';
import type { UnitBtf } from './to-btf.ts';
import type { Die } from './units.ts';

/** Where a struct this binary defines is laid out: a unit's converter and the struct's id there. */
interface StructHome {
  types: BtfValueTypes;
  id: TypeId;
}

/** A function's parameters as value types, with their C spelling as bpftrace lists them (`struct Foo*`). */
export interface FunctionParams {
  name: string;
  params: (KernelParam & { btf: Btf; id: TypeId })[];
}

export class BinaryTypes {
  private readonly converters = new Map<UnitBtf, BtfValueTypes>();
  private readonly structs = new Map<string, StructHome>();
  private readonly byNameCache = new Map<string, ValueType | null>();

  constructor(readonly binary: DwarfBinary) {}

  /** The parameters of the function at `address` (a symbol's value) or named `name`; undefined without DWARF for it. */
  functionParams(address: bigint | undefined, name: string): FunctionParams | undefined {
    const die = this.binary.functionDie(address, name);
    if (!die) return undefined;
    const f: FunctionBtf = this.binary.functionBtf(die);
    const types = this.converter(f.unit);
    return {
      name: f.name,
      params: f.params.map((p, i) => ({ name: p.name || `arg${i}`, type: types.fromId(p.type), cType: dwarfTypeName(f.unit.btf, p.type), btf: f.unit.btf, id: p.type })),
    };
  }

  /** A type by its C name (`struct Foo`, `union U`, `enum E`, a typedef or base type name); undefined when the binary has none. */
  byName(name: string): ValueType | undefined {
    const n = name.trim().replace(/\s+/g, ' ');
    let t = this.byNameCache.get(n);
    if (t === undefined) {
      t = this.lookUp(n) ?? null;
      this.byNameCache.set(n, t);
    }
    return t ?? undefined;
  }

  private lookUp(name: string): ValueType | undefined {
    const tag = /^(struct|union|enum) ([A-Za-z_]\w*)$/.exec(name);
    if (!tag && !/^[A-Za-z_][\w ]*$/.test(name)) return undefined;
    const die = tag ? this.binary.typeDie(tag[1] as 'struct' | 'union' | 'enum', tag[2]!) : this.binary.typeDie('typedef', name);
    return die ? this.dieType(die) : undefined;
  }

  private dieType(die: Die): ValueType | undefined {
    const unit = this.binary.unitBtf(die.unit);
    const id = unit.idOf(die);
    return id === undefined ? undefined : this.converter(unit).fromId(id);
  }

  /** Where the struct named `name` (`struct Foo`, as a value or pointer names it) is laid out, if this binary defines it. */
  structHome(name: string): StructHome | undefined {
    const known = this.structs.get(name);
    if (known) return known;
    const t = this.byName(name);
    return t?.kind === 'struct' ? this.structs.get(t.name) : undefined;
  }

  member(structName: string, member: string): KernelMember | undefined {
    const home = this.structHome(structName);
    return home?.types.member(home.id, member);
  }

  members(structName: string): KernelMember[] {
    const home = this.structHome(structName);
    return home ? home.types.members(home.id) : [];
  }

  /** One unit's BTF as value types (user-space pointers, laid-out structs). */
  private converter(unit: UnitBtf): BtfValueTypes {
    let c = this.converters.get(unit);
    if (!c) {
      const btf = unit.btf;
      const types: BtfValueTypes = new BtfValueTypes(btf, {
        enumType: (_r, size) => ({ kind: 'int', size, signed: false }),
        pointer: (r) => this.pointer(unit, types, r),
        composite: (r) => {
          const name = compositeName(unit, r.type.kind, r);
          if (!this.structs.has(name)) this.structs.set(name, { types, id: r.id });
          return withBitfields({ kind: 'struct', name, fields: types.valueFields(r.id), size: r.type.size }, types.bitfields(r.id));
        },
        forward: (r) => {
          const name = `${r.type.union ? 'union' : 'struct'} ${r.type.name}`;
          return this.byName(name) ?? { kind: 'struct', name, fields: [], size: 0 };
        },
      });
      c = types;
      this.converters.set(unit, c);
    }
    return c;
  }

  /** A user-space pointer, naming what it points at the way the type pass reads names back. */
  private pointer(unit: UnitBtf, types: BtfValueTypes, r: ResolvedOf<'ptr'>): ValueType {
    const p = unit.btf.resolve(r.type.type);
    const to = (pointee: string): ValueType => ({ kind: 'pointer', pointee, user: true });
    switch (p.type.kind) {
      case 'struct':
      case 'union': {
        const name = compositeName(unit, p.type.kind, p);
        if (!this.structs.has(name)) this.structs.set(name, { types, id: p.id });
        return to(name);
      }
      case 'fwd':
        return to(`${p.type.union ? 'union' : 'struct'} ${p.type.name}`);
      case 'int':
      case 'enum':
      case 'enum64': {
        const v = types.fromId(p.id);
        if (v.kind === 'bool') return to('bool');
        return to(v.kind === 'int' ? `${v.signed ? 'int' : 'uint'}${v.size * 8}` : 'void');
      }
      default:
        // void, pointers to pointers, arrays, functions, floats: an address.
        return to('void');
    }
  }
}

/** A binary's struct/union as the value type names it: its tag, else a name made unique by unit and id. */
function compositeName(unit: UnitBtf, kind: 'struct' | 'union', r: { id: TypeId; type: { name: string } }): string {
  return `${kind} ${r.type.name || `bs_anon_${unit.btf.name}_${r.id}`}`;
}

/** A type as bpftrace spells a DWARF type in `-lv` listings: `int`, `int*`, `struct Foo*`, `const char*`, `char* const`. */
export function dwarfTypeName(btf: Btf, id: TypeId): string {
  const t = btf.type(id);
  switch (t.kind) {
    case 'int':
    case 'float':
    case 'typedef':
      return t.name;
    case 'ptr':
      return t.type === 0 ? 'void*' : `${dwarfTypeName(btf, t.type)}*`;
    case 'struct':
    case 'union':
    case 'enum':
    case 'enum64':
      return `${t.kind === 'enum64' ? 'enum' : t.kind} ${t.name || '<anonymous>'}`;
    case 'fwd':
      return `${t.union ? 'union' : 'struct'} ${t.name || '<anonymous>'}`;
    case 'const': {
      const inner = dwarfTypeName(btf, t.type);
      return btf.type(t.type).kind === 'ptr' ? `${inner} const` : `const ${inner}`;
    }
    default:
      return '<unknown type>';
  }
}
