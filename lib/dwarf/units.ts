// Units of .debug_info (DWARF 2 to 5): their headers, found with one pass over
// the section, and their DIE trees, read when a unit is first asked for. A
// DIE's attributes keep their stored form; the unit resolves strings
// (strp, line_strp, strx), addresses (addrx) and references on access.
import { Cursor, DwarfError, stringAt } from './cursor.ts';
import { AT, FORM, UT } from './constants.ts';
import { AbbrevTable } from './abbrev.ts';
import { asNumber, readForm, type Attr, type Encoding } from './forms.ts';
import type { DwarfSections } from './sections.ts';

export interface UnitHeader extends Encoding {
  /** Offset of the header in .debug_info. */
  offset: number;
  /** One past the unit's last byte. */
  end: number;
  /** DW_UT_* (DWARF 5; a compile unit before). */
  unitType: number;
  abbrevOffset: number;
  /** Offset of the unit's first DIE. */
  dieOffset: number;
}

export interface Die {
  offset: number;
  tag: number;
  attrs: Attr[];
  children: Die[];
  parent: Die | undefined;
  unit: Unit;
}

/** Every unit header of .debug_info, in order. */
export function readUnitHeaders(info: Buffer): UnitHeader[] {
  const out: UnitHeader[] = [];
  const c = new Cursor(info, 0, '.debug_info');
  while (c.pos < info.length) {
    const offset = c.pos;
    const { length, offsetSize } = c.initialLength();
    const end = c.pos + length;
    if (end > info.length) throw new DwarfError(`.debug_info: unit at ${offset} runs past the end of the section`);
    const version = c.u16();
    if (version < 2 || version > 5) throw new DwarfError(`.debug_info: unit at ${offset} has unsupported DWARF version ${version}`);
    let unitType: number = UT.compile;
    let addressSize: number;
    let abbrevOffset: number;
    if (version >= 5) {
      unitType = c.u8();
      addressSize = c.u8();
      abbrevOffset = c.offset(offsetSize);
      if (unitType === UT.skeleton || unitType === UT.split_compile) c.skip(8);
      else if (unitType === UT.type || unitType === UT.split_type) c.skip(8 + offsetSize);
    } else {
      abbrevOffset = c.offset(offsetSize);
      addressSize = c.u8();
    }
    out.push({ offset, end, version, unitType, addressSize, offsetSize, abbrevOffset, dieOffset: c.pos });
    c.pos = end;
  }
  return out;
}

export class Unit {
  readonly root: Die;
  private readonly byOffset = new Map<number, Die>();
  private strOffsetsBase: number;
  private addrBase: number;

  constructor(
    readonly header: UnitHeader,
    private readonly sections: DwarfSections,
    abbrevs: AbbrevTable,
    /** Read only the unit's own DIE (its name, directory, line table, bases), none of its children. */
    readonly rootOnly = false,
  ) {
    this.root = this.readTree(abbrevs);
    // DWARF 5 bases come from the unit's own DIE; before them, a header's size past the section start.
    this.strOffsetsBase = this.number(this.root, AT.str_offsets_base) ?? (header.offsetSize === 8 ? 16 : 8);
    this.addrBase = this.number(this.root, AT.addr_base) ?? this.number(this.root, AT.GNU_addr_base) ?? 8;
  }

  private readTree(abbrevs: AbbrevTable): Die {
    const h = this.header;
    const c = new Cursor(this.sections.need('info'), h.dieOffset, '.debug_info');
    const stack: Die[] = [];
    let root: Die | undefined;
    while (c.pos < h.end) {
      const offset = c.pos;
      const code = c.uleb();
      if (code === 0) {
        stack.pop();
        if (stack.length === 0) break;
        continue;
      }
      const abbrev = abbrevs.get(code);
      if (!abbrev) throw new DwarfError(`.debug_info: unknown abbreviation ${code} at offset ${offset}`);
      const attrs = abbrev.attrs.map((spec) => readForm(c, spec, h));
      const parent = stack[stack.length - 1];
      const die: Die = { offset, tag: abbrev.tag, attrs, children: [], parent, unit: this };
      this.byOffset.set(offset, die);
      if (parent) parent.children.push(die);
      else root ??= die;
      if (this.rootOnly) break;
      if (abbrev.hasChildren) stack.push(die);
      else if (!parent) break;
    }
    if (!root) throw new DwarfError(`.debug_info: unit at ${h.offset} has no DIE`);
    return root;
  }

  /** The DIE at a .debug_info offset inside this unit. */
  dieAt(offset: number): Die | undefined {
    return this.byOffset.get(offset);
  }

  attr(die: Die, name: number): Attr | undefined {
    for (const a of die.attrs) if (a.name === name) return a;
    return undefined;
  }

  has(die: Die, name: number): boolean {
    return this.attr(die, name) !== undefined;
  }

  /** An integer attribute (constants, flags, offsets); undefined when absent or not an integer. */
  number(die: Die, name: number): number | undefined {
    const a = this.attr(die, name);
    return a ? asNumber(a.value) : undefined;
  }

  flag(die: Die, name: number): boolean {
    return (this.number(die, name) ?? 0) !== 0;
  }

  /** A string attribute, wherever it is stored; undefined when absent or unreadable (a dwz alternate file). */
  string(die: Die, name: number): string | undefined {
    const a = this.attr(die, name);
    if (!a) return undefined;
    const v = a.value;
    switch (a.form) {
      case FORM.string:
        return v as string;
      case FORM.strp:
        return stringAt(this.sections.get('str'), v as number, '.debug_str');
      case FORM.line_strp:
        return stringAt(this.sections.get('line_str'), v as number, '.debug_line_str');
      case FORM.strx:
      case FORM.strx1:
      case FORM.strx2:
      case FORM.strx3:
      case FORM.strx4:
      case FORM.GNU_str_index:
        return this.indexedString(v as number);
      default:
        return undefined;
    }
  }

  private indexedString(index: number): string {
    const table = this.sections.need('str_offsets');
    const c = new Cursor(table, this.strOffsetsBase + index * this.header.offsetSize, '.debug_str_offsets');
    return stringAt(this.sections.get('str'), c.offset(this.header.offsetSize), '.debug_str');
  }

  /** An address attribute (addr, or an index into .debug_addr). */
  address(die: Die, name: number): bigint | undefined {
    const a = this.attr(die, name);
    if (!a) return undefined;
    if (a.form === FORM.addr) return a.value as bigint;
    if (a.form === FORM.addrx || a.form === FORM.addrx1 || a.form === FORM.addrx2 || a.form === FORM.addrx3 || a.form === FORM.addrx4 || a.form === FORM.GNU_addr_index) {
      const c = new Cursor(this.sections.need('addr'), this.addrBase + (a.value as number) * this.header.addressSize, '.debug_addr');
      return c.uint(this.header.addressSize);
    }
    return undefined;
  }

  /** The [low, high) address range of a DIE with low_pc/high_pc (high_pc may be a length). */
  pcRange(die: Die): [bigint, bigint] | undefined {
    const low = this.address(die, AT.low_pc);
    const high = this.attr(die, AT.high_pc);
    if (low === undefined || !high) return undefined;
    const end = high.form === FORM.addr || high.form === FORM.addrx ? this.address(die, AT.high_pc)! : low + BigInt(asNumber(high.value) ?? 0);
    return [low, end];
  }

  /** The .debug_info offset a reference attribute points at; undefined for references this reader cannot follow. */
  refOffset(die: Die, name: number): number | undefined {
    const a = this.attr(die, name);
    if (!a) return undefined;
    switch (a.form) {
      case FORM.ref1:
      case FORM.ref2:
      case FORM.ref4:
      case FORM.ref8:
      case FORM.ref_udata:
        return this.header.offset + (a.value as number);
      case FORM.ref_addr:
        return a.value as number;
      default:
        return undefined; // ref_sig8 (type units), GNU_ref_alt (dwz), ref_sup
    }
  }
}

/** One unit's abbreviations, then its DIE tree (or only its own DIE). */
export function readUnit(header: UnitHeader, sections: DwarfSections, abbrevCache: Map<number, AbbrevTable>, rootOnly = false): Unit {
  return new Unit(header, sections, unitAbbrevs(header, sections, abbrevCache), rootOnly);
}

/** The abbreviations of a unit (cached by table offset: units often share one). */
export function unitAbbrevs(header: UnitHeader, sections: DwarfSections, abbrevCache: Map<number, AbbrevTable>): AbbrevTable {
  let abbrevs = abbrevCache.get(header.abbrevOffset);
  if (!abbrevs) {
    abbrevs = new AbbrevTable(sections.need('abbrev'), header.abbrevOffset);
    abbrevCache.set(header.abbrevOffset, abbrevs);
  }
  return abbrevs;
}
