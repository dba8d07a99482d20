// The debug information of one file: its units (headers found at once, DIE
// trees read on first use and kept), references followed across units, and
// the names and attributes a DIE inherits from the DIE it completes
// (DW_AT_specification, DW_AT_abstract_origin), as libdw's `_integrate`
// accessors do.
import { AT, TAG } from './constants.ts';
import { DwarfError } from './cursor.ts';
import type { AbbrevTable } from './abbrev.ts';
import type { DwarfSections } from './sections.ts';
import { readUnit, readUnitHeaders, type Die, type Unit, type UnitHeader } from './units.ts';

const COMPILE_UNITS: ReadonlySet<number> = new Set([TAG.compile_unit, TAG.partial_unit, TAG.skeleton_unit]);

export class DwarfInfo {
  readonly headers: UnitHeader[];
  private readonly units = new Map<number, Unit>();
  private readonly abbrevs = new Map<number, AbbrevTable>();

  constructor(readonly sections: DwarfSections) {
    this.headers = readUnitHeaders(sections.need('info'));
  }

  /** The unit whose header is at `offset`, read on first use. */
  unit(header: UnitHeader): Unit {
    let u = this.units.get(header.offset);
    if (!u) {
      u = readUnit(header, this.sections, this.abbrevs);
      this.units.set(header.offset, u);
    }
    return u;
  }

  /** The units read so far (whole DIE trees). */
  loadedUnits(): IterableIterator<Unit> {
    return this.units.values();
  }

  /** Every compile unit, read in order (a generator: stop early and the rest stay unread). */
  *compileUnits(): IterableIterator<Unit> {
    for (const h of this.headers) {
      const u = this.unit(h);
      if (COMPILE_UNITS.has(u.root.tag)) yield u;
    }
  }

  /** The DIE at a .debug_info offset, in whichever unit holds it. */
  dieAt(offset: number): Die | undefined {
    const h = this.headerOf(offset);
    return h ? this.unit(h).dieAt(offset) : undefined;
  }

  private headerOf(offset: number): UnitHeader | undefined {
    let lo = 0;
    let hi = this.headers.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const h = this.headers[mid]!;
      if (offset < h.offset) hi = mid - 1;
      else if (offset >= h.end) lo = mid + 1;
      else return h;
    }
    return undefined;
  }

  /** The DIE a reference attribute points at. */
  ref(die: Die, name: number): Die | undefined {
    const off = die.unit.refOffset(die, name);
    if (off === undefined) return undefined;
    const local = die.unit.dieAt(off);
    if (local) return local;
    const found = this.dieAt(off);
    if (!found) throw new DwarfError(`.debug_info: DIE at ${die.offset} refers to offset ${off}, where no DIE is`);
    return found;
  }

  /** The type DIE of a DIE (undefined: void). */
  typeOf(die: Die): Die | undefined {
    return this.ref(die, AT.type);
  }

  /** The DIE that holds a DIE's attribute: itself, else the DIE it completes (specification, abstract origin). */
  integrated(die: Die, name: number): Die | undefined {
    for (let d: Die | undefined = die, hops = 0; d && hops < 8; hops++) {
      if (d.unit.has(d, name)) return d;
      d = this.ref(d, AT.abstract_origin) ?? this.ref(d, AT.specification);
    }
    return undefined;
  }

  /** A DIE's name (DW_AT_name), through specification/abstract origin; '' when it has none. */
  name(die: Die): string {
    const holder = this.integrated(die, AT.name);
    return (holder && holder.unit.string(holder, AT.name)) ?? '';
  }

  /** The type DIE of a DIE, through specification/abstract origin. */
  integratedType(die: Die): Die | undefined {
    const holder = this.integrated(die, AT.type);
    return holder ? this.ref(holder, AT.type) : undefined;
  }
}
