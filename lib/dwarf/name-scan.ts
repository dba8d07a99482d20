// A fast pass over a unit that builds nothing: it reads only the tag, name and
// declaration flag of the unit's top-level DIEs (types, functions), steps over
// every other attribute by its form's size and over children with
// DW_AT_sibling when the producer left one. It answers "which unit defines
// struct Foo / function f" without reading whole DIE trees, which costs about
// ten times as much.
import { Cursor, DwarfError, stringAt } from './cursor.ts';
import { AT, FORM } from './constants.ts';
import type { AbbrevTable, AttrSpec } from './abbrev.ts';
import { readForm } from './forms.ts';
import type { DwarfSections } from './sections.ts';
import type { UnitHeader } from './units.ts';

export interface ScannedName {
  tag: number;
  name: string;
  /** A declaration only (`struct Foo;`, an extern function): no definition here. */
  declaration: boolean;
  /** .debug_info offset of the DIE. */
  offset: number;
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

/** Top-level DIEs of one unit with a name and one of `tags`. */
export function scanTopLevelNames(sections: DwarfSections, h: UnitHeader, abbrevs: AbbrevTable, tags: ReadonlySet<number>): ScannedName[] {
  const info = sections.need('info');
  const strings: Strings = { str: sections.get('str'), lineStr: sections.get('line_str'), offsets: sections.get('str_offsets'), offsetsBase: h.offsetSize === 8 ? 16 : 8 };
  const c = new Cursor(info, h.dieOffset, '.debug_info');
  const out: ScannedName[] = [];
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
    let name = '';
    let declaration = false;
    let sibling = -1;
    for (const spec of abbrev.attrs) {
      if (depth === 0 && spec.name === AT.str_offsets_base) strings.offsetsBase = readForm(c, spec, h).value as number;
      else if (spec.name === AT.name && wanted) name = readName(c, spec, h, strings);
      else if (spec.name === AT.sibling && depth === 1 && spec.form >= FORM.ref1 && spec.form <= FORM.ref_udata) sibling = h.offset + (readForm(c, spec, h).value as number);
      else if (spec.name === AT.declaration && wanted) declaration = readForm(c, spec, h).value !== 0;
      else skipForm(c, spec, h);
    }
    if (wanted && name) out.push({ tag: abbrev.tag, name, declaration, offset });
    if (abbrev.hasChildren) {
      if (sibling > c.pos && sibling <= h.end) c.pos = sibling;
      else depth++;
    } else if (depth === 0) break;
  }
  return out;
}

interface Strings {
  str: Buffer | undefined;
  lineStr: Buffer | undefined;
  offsets: Buffer | undefined;
  /** DW_AT_str_offsets_base of the unit (its DIE comes before any other). */
  offsetsBase: number;
}

function readName(c: Cursor, spec: AttrSpec, h: UnitHeader, s: Strings): string {
  const a = readForm(c, spec, h);
  switch (a.form) {
    case FORM.string:
      return a.value as string;
    case FORM.strp:
      return stringAt(s.str, a.value as number, '.debug_str');
    case FORM.line_strp:
      return stringAt(s.lineStr, a.value as number, '.debug_line_str');
    case FORM.strx:
    case FORM.strx1:
    case FORM.strx2:
    case FORM.strx3:
    case FORM.strx4: {
      if (!s.offsets) return '';
      const at = new Cursor(s.offsets, s.offsetsBase + (a.value as number) * h.offsetSize, '.debug_str_offsets');
      return stringAt(s.str, at.offset(h.offsetSize), '.debug_str');
    }
    default:
      return '';
  }
}

function skipForm(c: Cursor, spec: AttrSpec, h: UnitHeader): void {
  const form = spec.form === FORM.indirect ? -1 : spec.form;
  const n = form < 0 ? -1 : fixedSize(form, h);
  if (n >= 0) c.skip(n);
  else readForm(c, spec, h);
}
