// One unit's types and functions, from DWARF DIEs to BTF (as pahole's
// `--btf_encode` does, in process): the rest of the compiler then reads them
// with lib/btf like any other BTF, so a binary's types and the kernel's go
// through one type model and one value-type converter.
//
// Every type DIE of the unit (nested ones too) and every function
// (DW_TAG_subprogram: a FUNC_PROTO, then a FUNC) is converted; references
// into other units pull those DIEs in. Ids are handed out first (so a struct
// can point at itself), then the types are encoded in id order.
import { Btf, BtfBuilder, BtfError, type TypeId } from '../btf/index.ts';
import { AT, ATE, FORM, TAG } from './constants.ts';
import { Cursor, DwarfError } from './cursor.ts';
import type { DwarfInfo } from './info.ts';
import type { Die, Unit } from './units.ts';

type Member = [name: string, type: TypeId, bitOffset: number, bitSize: number];

type Node =
  | { kind: 'int'; name: string; size: number; signed: boolean; char: boolean; bool: boolean }
  | { kind: 'float'; name: string; size: number }
  | { kind: 'ptr'; type: TypeId }
  | { kind: 'array'; element: TypeId; length: number }
  | { kind: 'struct' | 'union'; name: string; size: number; members: Member[] }
  | { kind: 'enum'; name: string; size: number; signed: boolean; values: [string, bigint][] }
  | { kind: 'fwd'; name: string; union: boolean }
  | { kind: 'typedef' | 'const' | 'volatile' | 'restrict'; name: string; type: TypeId }
  | { kind: 'func_proto'; returnType: TypeId; params: [string, TypeId][]; variadic: boolean }
  | { kind: 'func'; name: string; proto: TypeId; global: boolean };

export interface UnitBtf {
  btf: Btf;
  /** The BTF id a DIE became (a FUNC for a function); undefined for DIEs that are not types. */
  idOf(die: Die): TypeId | undefined;
}

const TYPE_TAGS: ReadonlySet<number> = new Set([
  TAG.base_type, TAG.pointer_type, TAG.reference_type, TAG.rvalue_reference_type, TAG.const_type, TAG.volatile_type,
  TAG.restrict_type, TAG.atomic_type, TAG.typedef, TAG.structure_type, TAG.class_type, TAG.union_type,
  TAG.enumeration_type, TAG.array_type, TAG.subroutine_type, TAG.unspecified_type, TAG.subprogram,
]);

const DW_OP_plus_uconst = 0x23;
const MAX_TYPE_DEPTH = 1000;

/** The BTF of one unit's types and functions. */
export function unitToBtf(info: DwarfInfo, unit: Unit): UnitBtf {
  const c = new Converter(info);
  const walk = (d: Die) => {
    if (TYPE_TAGS.has(d.tag)) c.type(d);
    for (const child of d.children) walk(child);
  };
  walk(unit.root);
  let btf: Btf;
  try {
    btf = c.encode(`${unit.header.offset}`);
  } catch (e) {
    // Types BTF cannot hold (a member offset past 2^24 bits, a bitfield wider than 255) come only from a malformed unit.
    if (e instanceof BtfError) throw new DwarfError(`.debug_info: unit at ${unit.header.offset}: ${e.message}`);
    throw e;
  }
  return { btf, idOf: (die) => c.memo.get(die.offset) };
}

class Converter {
  readonly nodes: (Node | undefined)[] = [];
  readonly memo = new Map<number, TypeId>();
  private indexType: TypeId | undefined;
  private depth = 0;

  constructor(private readonly info: DwarfInfo) {}

  private reserve(die: Die | undefined): TypeId {
    this.nodes.push(undefined);
    const id = this.nodes.length;
    if (die) this.memo.set(die.offset, id);
    return id;
  }

  private set(id: TypeId, node: Node): TypeId {
    this.nodes[id - 1] = node;
    return id;
  }

  /** The BTF id of a type DIE (0, void, for none or a kind BTF cannot say). */
  type(die: Die | undefined): TypeId {
    if (!die) return 0;
    const known = this.memo.get(die.offset);
    if (known !== undefined) return known;
    // Real type chains are short; a long one is a reference cycle of a malformed file.
    if (++this.depth > MAX_TYPE_DEPTH) throw new DwarfError(`.debug_info: type chain at ${die.offset} is deeper than ${MAX_TYPE_DEPTH} (a reference cycle?)`);
    try {
      const id = this.convert(die);
      this.memo.set(die.offset, id);
      return id;
    } finally {
      this.depth--;
    }
  }

  private convert(die: Die): TypeId {
    const name = this.info.name(die);
    const target = () => this.type(this.info.typeOf(die));
    switch (die.tag) {
      case TAG.base_type:
        return this.baseType(die, name);
      case TAG.pointer_type:
      case TAG.reference_type:
      case TAG.rvalue_reference_type: {
        const id = this.reserve(die);
        return this.set(id, { kind: 'ptr', type: target() });
      }
      case TAG.const_type:
      case TAG.volatile_type:
      case TAG.restrict_type:
      case TAG.typedef: {
        const id = this.reserve(die);
        const kind = die.tag === TAG.const_type ? 'const' : die.tag === TAG.volatile_type ? 'volatile' : die.tag === TAG.restrict_type ? 'restrict' : 'typedef';
        return this.set(id, { kind, name: kind === 'typedef' ? name : '', type: target() });
      }
      case TAG.atomic_type:
        return target();
      case TAG.structure_type:
      case TAG.class_type:
      case TAG.union_type:
        return this.composite(die, name);
      case TAG.enumeration_type:
        return this.enumeration(die, name);
      case TAG.array_type:
        return this.array(die);
      case TAG.subroutine_type:
        return this.proto(die, this.reserve(die));
      case TAG.subprogram: {
        const proto = this.proto(die, this.reserve(undefined));
        const id = this.reserve(die);
        return this.set(id, { kind: 'func', name, proto, global: this.info.integrated(die, AT.external) !== undefined });
      }
      default:
        return 0;
    }
  }

  private baseType(die: Die, name: string): TypeId {
    const u = die.unit;
    const size = u.number(die, AT.byte_size) ?? 0;
    const enc = u.number(die, AT.encoding) ?? ATE.unsigned;
    if (enc === ATE.float && [2, 4, 8, 12, 16].includes(size)) return this.set(this.reserve(die), { kind: 'float', name, size });
    if (enc === ATE.float || enc === ATE.complex_float || size > 16 || size === 0) {
      // Bytes of that size: BTF has no complex numbers, nor wider integers.
      const id = this.reserve(die);
      return this.set(id, { kind: 'array', element: this.byteType(), length: size });
    }
    const signed = enc === ATE.signed || enc === ATE.signed_char;
    const char = enc === ATE.signed_char || enc === ATE.unsigned_char;
    return this.set(this.reserve(die), { kind: 'int', name, size, signed, char, bool: enc === ATE.boolean });
  }

  private composite(die: Die, name: string): TypeId {
    const u = die.unit;
    const union = die.tag === TAG.union_type;
    const id = this.reserve(die);
    if (u.flag(die, AT.declaration)) return this.set(id, { kind: 'fwd', name, union });
    const members: Member[] = [];
    for (const m of die.children) {
      // Static members (C++) are declarations, not parts of the layout.
      if (m.tag !== TAG.member || u.flag(m, AT.declaration) || u.flag(m, AT.external)) continue;
      const [bitOffset, bitSize] = this.memberBits(m);
      members.push([this.info.name(m), this.type(this.info.typeOf(m)), bitOffset, bitSize]);
    }
    return this.set(id, { kind: union ? 'union' : 'struct', name, size: u.number(die, AT.byte_size) ?? 0, members });
  }

  /** A member's offset in bits, and its width when it is a bitfield (0 otherwise). */
  private memberBits(m: Die): [number, number] {
    const u = m.unit;
    const bitSize = u.number(m, AT.bit_size) ?? 0;
    const dataBitOffset = u.number(m, AT.data_bit_offset);
    if (dataBitOffset !== undefined) return [dataBitOffset, bitSize];
    const loc = u.attr(m, AT.data_member_location);
    let bytes = 0;
    if (loc && Buffer.isBuffer(loc.value)) {
      // DWARF 2 style: a location expression, DW_OP_plus_uconst N.
      const c = new Cursor(loc.value, 0, 'DW_AT_data_member_location');
      if (loc.value.length > 0 && c.u8() === DW_OP_plus_uconst) bytes = c.uleb();
    } else if (loc) bytes = u.number(m, AT.data_member_location) ?? 0;
    const oldBitOffset = u.number(m, AT.bit_offset);
    if (bitSize === 0 || oldBitOffset === undefined) return [bytes * 8, bitSize];
    // DWARF 2/3 bitfields count from the storage unit's most significant bit.
    const storage = u.number(m, AT.byte_size) ?? this.info.typeOf(m)?.unit.number(this.info.typeOf(m)!, AT.byte_size) ?? 4;
    return [bytes * 8 + storage * 8 - oldBitOffset - bitSize, bitSize];
  }

  private enumeration(die: Die, name: string): TypeId {
    const u = die.unit;
    const id = this.reserve(die);
    const size = u.number(die, AT.byte_size) ?? 4;
    const underlying = this.info.typeOf(die);
    let signed = underlying ? [ATE.signed, ATE.signed_char].includes(underlying.unit.number(underlying, AT.encoding) as 5) : false;
    const values: [string, bigint][] = [];
    for (const e of die.children) {
      if (e.tag !== TAG.enumerator) continue;
      const a = u.attr(e, AT.const_value);
      const v = a && (typeof a.value === 'number' || typeof a.value === 'bigint') ? BigInt(a.value) : 0n;
      if (a?.form === FORM.sdata && v < 0n) signed = true;
      values.push([this.info.name(e), v]);
    }
    if (signed) {
      // data1..data8 constants carry no sign: they take the enum's.
      for (const entry of values) entry[1] = BigInt.asIntN(size * 8, entry[1]);
    }
    return this.set(id, { kind: 'enum', name, size, signed, values });
  }

  private array(die: Die): TypeId {
    const u = die.unit;
    const lengths: number[] = [];
    for (const s of die.children) {
      if (s.tag !== TAG.subrange_type) continue;
      const count = u.number(s, AT.count);
      const upper = u.number(s, AT.upper_bound);
      lengths.push(count ?? (upper !== undefined && upper >= 0 ? upper + 1 : 0));
    }
    if (lengths.length === 0) lengths.push(0);
    // `int a[2][3]` is an array of 2 arrays of 3: ids for every dimension, outermost (this DIE's) first.
    const ids = lengths.map((_, i) => this.reserve(i === 0 ? die : undefined));
    let element = this.type(this.info.typeOf(die));
    for (let i = lengths.length - 1; i >= 0; i--) element = this.set(ids[i]!, { kind: 'array', element, length: lengths[i]! });
    return ids[0]!;
  }

  private proto(die: Die, id: TypeId): TypeId {
    const params: [string, TypeId][] = [];
    let variadic = false;
    for (const p of die.children) {
      if (p.tag === TAG.formal_parameter) params.push([this.info.name(p), this.type(this.info.integratedType(p))]);
      else if (p.tag === TAG.unspecified_parameters) variadic = true;
    }
    return this.set(id, { kind: 'func_proto', returnType: this.type(this.info.integratedType(die)), params, variadic });
  }

  private byteType(): TypeId {
    this.indexType ??= this.set(this.reserve(undefined), { kind: 'int', name: 'unsigned char', size: 1, signed: false, char: false, bool: false });
    return this.indexType;
  }

  /** Every node as BTF, in id order. */
  encode(name: string): Btf {
    const b = new BtfBuilder();
    const index = this.nodes.length > 0 ? this.byteType() : 0;
    this.nodes.forEach((n, i) => {
      const id = this.emit(b, n, index);
      if (id !== i + 1) throw new Error(`internal: BTF id ${id} for node ${i + 1}`);
    });
    return Btf.fromBuffer(b.build(), { name });
  }

  private emit(b: BtfBuilder, n: Node | undefined, index: TypeId): TypeId {
    if (!n) return b.modifier('typedef', 0, 'void'); // a slot nothing filled (cannot happen for well-formed input)
    switch (n.kind) {
      case 'int':
        return b.int(n.name, n.size, { signed: n.signed, char: n.char, bool: n.bool });
      case 'float':
        return b.float(n.name, n.size);
      case 'ptr':
        return b.ptr(n.type);
      case 'array':
        return b.array(n.element, index, n.length);
      case 'struct':
      case 'union':
        return b.composite(n.kind, n.name, n.size, n.members.map(([m, t, off, bits]) => [m, t, off, bits]));
      case 'enum':
        if (n.size > 4 || n.values.some(([, v]) => v > 0xffffffffn || v < -0x80000000n)) return b.enum64(n.name, n.values, n.signed);
        return b.enum(n.name, n.size, n.values.map(([m, v]) => [m, Number(v)]), n.signed);
      case 'fwd':
        return b.fwd(n.name, n.union);
      case 'typedef':
      case 'const':
      case 'volatile':
      case 'restrict':
        return b.modifier(n.kind, n.type, n.name);
      case 'func_proto':
        return b.funcProto(n.returnType, n.params, n.variadic);
      case 'func':
        return b.func(n.name, n.proto, n.global ? 1 : 0);
    }
  }
}
