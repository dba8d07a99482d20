// A struct, union or enum definition written as libbpf's btf_dump writes it
// (what `bpftool btf dump ... format c` and bpftrace's `-lv 'struct X'`
// print): tab-indented members, anonymous structs/unions/enums inline,
// bitfields, explicit padding (`long: 64;`), `__attribute__((packed))`.
// Checked against this machine's `bpftool btf dump file /sys/kernel/btf/vmlinux
// format c` (libbpf 1.1): every definition is the same. Names are printed as BTF has them (btf_dump's `___2` suffixes for clashing
// names of a whole-file dump are not added).
import type { Btf } from './btf.ts';
import type { BtfType, BtfTypeOf, TypeId } from './model.ts';

const POINTER_BITS = 64;
const paddings: [name: string, bits: number][] = [['long', POINTER_BITS], ['int', 32], ['short', 16], ['char', 8]];

const tabs = (level: number) => '\t'.repeat(level);
const roundUp = (n: number, to: number) => Math.ceil(n / to) * to;

class DefinitionWriter {
  out = '';
  constructor(private readonly btf: Btf) {}

  /** Explicit padding from bit `cur` to bit `next` (btf_dump_emit_bit_padding). */
  padding(cur: number, next: number, nextAlign: number, inBitfield: boolean, level: number): void {
    if (cur >= next) return;
    let padType = 'char';
    let padBits = 8;
    let newOff = 0;
    for ([padType, padBits] of paddings) {
      newOff = roundUp(cur, padBits);
      if (newOff <= next) break;
    }
    if (newOff > cur && newOff <= next) {
      if (inBitfield || (newOff === next && roundUp(cur, nextAlign * 8) !== newOff) || (newOff !== next && next - newOff <= newOff - cur)) {
        this.out += `\n${tabs(level)}${padType}: ${inBitfield ? newOff - cur : 0};`;
      }
      cur = newOff;
    }
    while (cur !== next) {
      const bits = Math.min(next - cur, padBits);
      if (bits === padBits) {
        this.out += `\n${tabs(level)}${padType}: ${padBits};`;
        cur += bits;
        continue;
      }
      for (const [name, size] of [...paddings].reverse()) {
        if (size < bits) continue;
        this.out += `\n${tabs(level)}${name}: ${bits};`;
        cur += bits;
        break;
      }
    }
  }

  /** Whether a struct needs `__attribute__((packed))` (btf_is_struct_packed). */
  private packed(t: BtfTypeOf<'struct'>): boolean {
    let maxAlign = 1;
    for (const m of t.members) {
      const align = this.btf.alignof(m.type);
      if (align && m.bitSize === 0 && m.bitOffset % (8 * align) !== 0) return true;
      maxAlign = Math.max(align, maxAlign);
    }
    return t.size % maxAlign !== 0;
  }

  composite(t: BtfTypeOf<'struct' | 'union'>, level: number): void {
    const isStruct = t.kind === 'struct';
    const packed = isStruct && this.packed(t);
    this.out += `${t.kind}${t.name ? ` ${t.name}` : ''} {`;
    let off = 0;
    let prevBitfield = false;
    for (const m of t.members) {
      const align = packed ? 1 : this.btf.alignof(m.type);
      this.padding(off, m.bitOffset, align, prevBitfield && m.bitSize !== 0, level + 1);
      this.out += `\n${tabs(level + 1)}`;
      this.declaration(m.type, m.name, level + 1);
      if (m.bitSize) {
        this.out += `: ${m.bitSize}`;
        off = m.bitOffset + m.bitSize;
        prevBitfield = true;
      } else {
        off = m.bitOffset + Math.max(0, this.size(m.type)) * 8;
        prevBitfield = false;
      }
      this.out += ';';
    }
    if (isStruct) this.padding(off, t.size * 8, this.btf.alignof(t.id), false, level + 1);
    this.out += t.members.length || t.size ? `\n${tabs(level)}}` : '}';
    if (packed) this.out += ' __attribute__((packed))';
  }

  private size(id: TypeId): number {
    try {
      return this.btf.sizeof(id);
    } catch {
      return 0;
    }
  }

  enumeration(t: BtfTypeOf<'enum' | 'enum64'>, level: number): void {
    this.out += `enum${t.name ? ` ${t.name}` : ''}`;
    if (!t.values.length) return;
    this.out += ' {';
    for (const v of t.values) {
      const value = t.kind === 'enum64'
        ? `${t.signed ? BigInt.asIntN(64, v.value) : BigInt.asUintN(64, v.value)}${t.signed ? 'LL' : 'ULL'}`
        : `${t.signed ? BigInt.asIntN(32, v.value) : BigInt.asUintN(32, v.value)}`;
      this.out += `\n${tabs(level + 1)}${v.name} = ${value},`;
    }
    // libbpf 1.1 (this system's, which bpftrace and bpftool use) writes no mode() attribute for odd-sized enums.
    this.out += `\n${tabs(level)}}`;
  }

  /** A declaration of `name` with type `id` (btf_dump_emit_type_decl). */
  declaration(id: TypeId, name: string, level: number): void {
    const chain: TypeId[] = [];
    for (;;) {
      chain.push(id);
      if (id === 0) break;
      const t = this.btf.type(id);
      if (t.kind === 'ptr' || t.kind === 'volatile' || t.kind === 'const' || t.kind === 'restrict' || t.kind === 'func_proto' || t.kind === 'type_tag') id = t.kind === 'func_proto' ? t.returnType : t.type;
      else if (t.kind === 'array') id = t.type;
      else break;
    }
    this.chain(chain, name, level);
  }

  private modifiers(chain: TypeId[]): void {
    while (chain.length) {
      const t = this.btf.type(chain[chain.length - 1]!);
      if (t.kind !== 'volatile' && t.kind !== 'const' && t.kind !== 'restrict') return;
      this.out += `${t.kind} `;
      chain.pop();
    }
  }

  private dropModifiers(chain: TypeId[]): void {
    while (chain.length) {
      const k = this.btf.type(chain[chain.length - 1]!).kind;
      if (k !== 'volatile' && k !== 'const' && k !== 'restrict' && k !== 'type_tag') return;
      chain.pop();
    }
  }

  private name(name: string, lastWasPointer: boolean): void {
    this.out += `${name && !lastWasPointer ? ' ' : ''}${name}`;
  }

  /** btf_dump_emit_type_chain: `chain` is innermost last; it is consumed. */
  private chain(chain: TypeId[], name: string, level: number): void {
    let lastWasPointer = true;
    while (chain.length) {
      const id = chain.pop()!;
      if (id === 0) {
        this.modifiers(chain);
        this.out += 'void';
        lastWasPointer = false;
        continue;
      }
      const t: BtfType = this.btf.type(id);
      switch (t.kind) {
        case 'int':
        case 'float':
        case 'typedef':
          this.modifiers(chain);
          this.out += t.name;
          break;
        case 'struct':
        case 'union':
          this.modifiers(chain);
          if (!t.name) this.composite(t, level);
          else this.out += `${t.kind} ${t.name}`;
          break;
        case 'enum':
        case 'enum64':
          this.modifiers(chain);
          if (!t.name) this.enumeration(t, level);
          else this.out += `enum ${t.name}`;
          break;
        case 'fwd':
          this.modifiers(chain);
          this.out += `${t.union ? 'union' : 'struct'} ${t.name}`;
          break;
        case 'ptr':
          this.out += lastWasPointer ? '*' : ' *';
          break;
        case 'volatile':
        case 'const':
        case 'restrict':
          this.out += ` ${t.kind}`;
          break;
        case 'type_tag':
          this.modifiers(chain);
          this.out += ` __attribute__((btf_type_tag("${t.name}")))`;
          break;
        case 'array': {
          this.dropModifiers(chain);
          if (chain.length === 0) {
            this.name(name, lastWasPointer);
            this.out += `[${t.length}]`;
            return;
          }
          const multidim = this.btf.type(chain[chain.length - 1]!).kind === 'array';
          if (name && !lastWasPointer) this.out += ' ';
          if (!multidim) this.out += '(';
          this.chain(chain, name, level);
          if (!multidim) this.out += ')';
          this.out += `[${t.length}]`;
          return;
        }
        case 'func_proto': {
          this.dropModifiers(chain);
          if (chain.length) {
            this.out += ' (';
            this.chain(chain, name, level);
            this.out += ')';
          } else this.name(name, lastWasPointer);
          const params = t.params;
          // No parameters, or a lone `void` one (read as variadic here): `(void)`.
          if (params.length === 0) {
            this.out += '(void)';
            return;
          }
          this.out += '(';
          params.forEach((p, i) => {
            if (i > 0) this.out += ', ';
            this.declaration(p.type, p.name, level);
          });
          if (t.variadic) this.out += ', ...';
          this.out += ')';
          return;
        }
        default:
          return;
      }
      lastWasPointer = t.kind === 'ptr';
    }
    this.name(name, lastWasPointer);
  }
}

/** `struct NAME {\n\t...\n};` (or a union or enum), as btf_dump writes the definition of type `id`. */
export function cDefinition(btf: Btf, id: TypeId): string {
  const t = btf.type(id);
  const w = new DefinitionWriter(btf);
  if (t.kind === 'struct' || t.kind === 'union') w.composite(t, 0);
  else if (t.kind === 'enum' || t.kind === 'enum64') w.enumeration(t, 0);
  else throw new Error(`${btf.describe(id)} is not a struct, union or enum`);
  return `${w.out};`;
}
