// A fast pass over a unit that builds nothing, looking for one name: it reads
// only the tag, name and declaration flag of the unit's top-level DIEs
// (types, functions), steps over every other attribute by its form's size and
// over children with DW_AT_sibling when the producer left one. Names are not
// decoded: a name stored in .debug_str matches when its offset is one where
// the wanted name ends a string there (the linker merges string tails, so
// that is a set of offsets), an inline name when its bytes are the wanted
// ones. It answers "which unit defines struct Foo / function f" without
// reading whole DIE trees.
import { Cursor, DwarfError } from './cursor.ts';
import { AT, FORM } from './constants.ts';
import type { AbbrevTable, AttrSpec } from './abbrev.ts';
import { readForm } from './forms.ts';
import type { DwarfSections } from './sections.ts';
import type { UnitHeader } from './units.ts';

export interface ScannedName {
  tag: number;
  /** A declaration only (`struct Foo;`, an extern function): no definition here. */
  declaration: boolean;
  /** .debug_info offset of the DIE. */
  offset: number;
}

/** One name, as it can appear in a unit: its bytes, and where string sections hold it. */
export class NameMatcher {
  readonly bytes: Buffer;
  private readonly inStr: Set<number>;
  private readonly inLineStr: Set<number>;

  constructor(
    readonly name: string,
    private readonly sections: DwarfSections,
  ) {
    this.bytes = Buffer.from(name, 'utf8');
    this.inStr = endsOfStrings(sections.get('str'), this.bytes);
    this.inLineStr = endsOfStrings(sections.get('line_str'), this.bytes);
  }

  /** Whether the name attribute at the cursor is this name (the cursor moves past it). */
  matches(c: Cursor, spec: AttrSpec, h: UnitHeader, strOffsetsBase: number): boolean {
    let form = spec.form;
    if (form === FORM.indirect) form = c.uleb();
    switch (form) {
      case FORM.string: {
        const start = c.pos;
        const end = c.buf.indexOf(0, start);
        if (end < 0) throw new DwarfError(`${c.section}: unterminated string at offset ${start}`);
        c.pos = end + 1;
        return end - start === this.bytes.length && c.buf.compare(this.bytes, 0, this.bytes.length, start, end) === 0;
      }
      case FORM.strp:
        return this.inStr.has(c.offset(h.offsetSize));
      case FORM.line_strp:
        return this.inLineStr.has(c.offset(h.offsetSize));
      case FORM.strx:
      case FORM.strx1:
      case FORM.strx2:
      case FORM.strx3:
      case FORM.strx4: {
        const index = Number(readForm(c, { ...spec, form }, h).value);
        const table = this.sections.get('str_offsets');
        if (!table) return false;
        return this.inStr.has(new Cursor(table, strOffsetsBase + index * h.offsetSize, '.debug_str_offsets').offset(h.offsetSize));
      }
      default:
        readForm(c, { ...spec, form }, h);
        return false;
    }
  }
}

/** Offsets in a string section where a string equal to `name` starts (whole strings and merged tails). */
function endsOfStrings(section: Buffer | undefined, name: Buffer): Set<number> {
  const out = new Set<number>();
  if (!section || name.length === 0) return out;
  const needle = Buffer.concat([name, Buffer.from([0])]);
  for (let at = section.indexOf(needle); at >= 0; at = section.indexOf(needle, at + 1)) out.add(at);
  return out;
}

/** Sizes of forms whose size does not depend on the data: -1 for the others. */
function fixedSize(form: number, h: UnitHeader): number {
  switch (form) {
    case FORM.flag_present:
    case FORM.implicit_const:
      return 0;
    case FORM.data1:
    case FORM.ref1:
    case FORM.flag:
    case FORM.strx1:
    case FORM.addrx1:
      return 1;
    case FORM.data2:
    case FORM.ref2:
    case FORM.strx2:
    case FORM.addrx2:
      return 2;
    case FORM.strx3:
    case FORM.addrx3:
      return 3;
    case FORM.data4:
    case FORM.ref4:
    case FORM.ref_sup4:
    case FORM.strx4:
    case FORM.addrx4:
      return 4;
    case FORM.data8:
    case FORM.ref8:
    case FORM.ref_sig8:
    case FORM.ref_sup8:
      return 8;
    case FORM.data16:
      return 16;
    case FORM.addr:
      return h.addressSize;
    case FORM.strp:
    case FORM.line_strp:
    case FORM.sec_offset:
    case FORM.strp_sup:
    case FORM.GNU_ref_alt:
    case FORM.GNU_strp_alt:
      return h.offsetSize;
    case FORM.ref_addr:
      return h.version <= 2 ? h.addressSize : h.offsetSize;
    default:
      return -1;
  }
}

/** Top-level DIEs of one unit named as `matcher` says, with one of `tags`. */
export function scanTopLevel(sections: DwarfSections, h: UnitHeader, abbrevs: AbbrevTable, tags: ReadonlySet<number>, matcher: NameMatcher): ScannedName[] {
  const c = new Cursor(sections.need('info'), h.dieOffset, '.debug_info');
  const out: ScannedName[] = [];
  let strOffsetsBase = h.offsetSize === 8 ? 16 : 8;
  let depth = 0;
  while (c.pos < h.end) {
    const offset = c.pos;
    const code = c.uleb();
    if (code === 0) {
      if (--depth <= 0) break;
      continue;
    }
    const abbrev = abbrevs.get(code);
    if (!abbrev) throw new DwarfError(`.debug_info: unknown abbreviation ${code} at offset ${offset}`);
    const wanted = depth === 1 && tags.has(abbrev.tag);
    let named = false;
    let declaration = false;
    let sibling = -1;
    for (const spec of abbrev.attrs) {
      // The unit's own DIE comes first: it says where its indexed strings are.
      if (depth === 0 && spec.name === AT.str_offsets_base) strOffsetsBase = Number(readForm(c, spec, h).value);
      else if (spec.name === AT.name && wanted) named = matcher.matches(c, spec, h, strOffsetsBase);
      else if (spec.name === AT.sibling && depth === 1 && spec.form >= FORM.ref1 && spec.form <= FORM.ref_udata) sibling = h.offset + Number(readForm(c, spec, h).value);
      else if (spec.name === AT.declaration && wanted) declaration = readForm(c, spec, h).value !== 0;
      else skipForm(c, spec, h);
    }
    if (named) out.push({ tag: abbrev.tag, declaration, offset });
    if (abbrev.hasChildren) {
      if (sibling > c.pos && sibling <= h.end) c.pos = sibling;
      else depth++;
    } else if (depth === 0) break;
  }
  return out;
}

/** Steps over one attribute value without decoding it. */
function skipForm(c: Cursor, spec: AttrSpec, h: UnitHeader): void {
  let form = spec.form;
  if (form === FORM.indirect) form = c.uleb();
  const n = fixedSize(form, h);
  if (n >= 0) return c.skip(n);
  switch (form) {
    case FORM.string: {
      const end = c.buf.indexOf(0, c.pos);
      if (end < 0) throw new DwarfError(`${c.section}: unterminated string at offset ${c.pos}`);
      c.pos = end + 1;
      return;
    }
    case FORM.block:
    case FORM.exprloc:
      return c.skip(c.uleb());
    case FORM.block1:
      return c.skip(c.u8());
    case FORM.block2:
      return c.skip(c.u16());
    case FORM.block4:
      return c.skip(c.u32());
    case FORM.sdata:
    case FORM.udata:
    case FORM.ref_udata:
    case FORM.strx:
    case FORM.addrx:
    case FORM.loclistx:
    case FORM.rnglistx:
    case FORM.GNU_addr_index:
    case FORM.GNU_str_index:
      while (c.u8() & 0x80);
      return;
    default:
      readForm(c, { ...spec, form }, h); // unknown forms: readForm says which
  }
}
