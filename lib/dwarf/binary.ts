// The debug information of one binary, as the compiler asks for it: a
// function by address or name, its parameters as BTF, a type by name, the
// address of a source line. Units are read only when a question needs them:
// a function's unit is found through .debug_aranges (or by name), a type's by
// a fast scan of the units' top-level names, a line's through the line
// tables' file lists.
import type { TypeId } from '../btf/index.ts';
import { findRange, readAranges, type AddressRange } from './aranges.ts';
import { AT, TAG } from './constants.ts';
import { DwarfError } from './cursor.ts';
import type { DwarfInfo } from './info.ts';
import { readLineTable, type LineTable } from './lines.ts';
import { NameMatcher, scanTopLevel, type ScannedName } from './name-scan.ts';
import { unitToBtf, type UnitBtf } from './to-btf.ts';
import { readUnit, unitAbbrevs, type Die, type Unit, type UnitHeader } from './units.ts';
import type { AbbrevTable } from './abbrev.ts';

/** A function's parameters and return type, as BTF ids of its unit's BTF. */
export interface FunctionBtf {
  unit: UnitBtf;
  name: string;
  params: { name: string; type: TypeId }[];
  returnType: TypeId;
}

/** A lookup that failed with a message for the user (bpftrace's wording). */
export class DebugInfoError extends Error {}

const NAMED_TAGS: ReadonlySet<number> = new Set([
  TAG.structure_type, TAG.class_type, TAG.union_type, TAG.enumeration_type, TAG.typedef, TAG.base_type, TAG.subprogram,
]);

export class DwarfBinary {
  private aranges: AddressRange[] | undefined;
  private readonly btfs = new Map<number, UnitBtf>();
  /** Per name: the top-level DIEs found so far, and the next unit to scan for more. */
  private readonly byName = new Map<string, { matcher: NameMatcher; found: { header: UnitHeader; entry: ScannedName }[]; next: number }>();
  private readonly abbrevs = new Map<number, AbbrevTable>();
  private roots: Unit[] | undefined;
  private readonly lineTables = new Map<number, LineTable | undefined>();

  constructor(
    /** The binary the probes name. */
    readonly path: string,
    /** The file the DWARF was read from (the binary, or its separate debug file). */
    readonly debugPath: string,
    readonly info: DwarfInfo,
  ) {}

  /** The function whose code starts at `address` (its symbol's value), else one named `name`. */
  functionDie(address: bigint | undefined, name: string): Die | undefined {
    if (address !== undefined) {
      const byAddress = this.functionAt(address);
      if (byAddress) return byAddress;
    }
    return this.named(name, (e) => e.tag === TAG.subprogram && !e.declaration);
  }

  private functionAt(address: bigint): Die | undefined {
    const aranges = this.sectionAranges();
    const range = findRange(aranges, address);
    const header = range && this.info.headers.find((h) => h.offset === range.unitOffset);
    if (!header) return undefined;
    const unit = this.info.unit(header);
    const find = (d: Die): Die | undefined => {
      if (d.tag === TAG.subprogram && unit.pcRange(d)?.[0] === address) return d;
      for (const c of d.children) {
        const f = find(c);
        if (f) return f;
      }
      return undefined;
    };
    return find(unit.root);
  }

  private sectionAranges(): AddressRange[] {
    if (!this.aranges) {
      const buf = this.info.sections.get('aranges');
      this.aranges = buf ? readAranges(buf) : [];
    }
    return this.aranges;
  }

  /** A function's parameters and return type as BTF. */
  functionBtf(die: Die): FunctionBtf {
    const unit = this.unitBtf(die.unit);
    const funcId = unit.idOf(die);
    if (funcId === undefined) throw new DwarfError(`internal: function at ${die.offset} has no BTF`);
    const func = unit.btf.typeOf(funcId, 'func');
    const proto = unit.btf.typeOf(func.type, 'func_proto');
    return { unit, name: func.name, params: proto.params.map((p) => ({ name: p.name, type: p.type })), returnType: proto.returnType };
  }

  /** The BTF of a unit (all its types and functions), made once. */
  unitBtf(unit: Unit): UnitBtf {
    let b = this.btfs.get(unit.header.offset);
    if (!b) {
      b = unitToBtf(this.info, unit);
      this.btfs.set(unit.header.offset, b);
    }
    return b;
  }

  /** A type defined at the top of some unit (`struct`/`union`/`enum` by tag, or a typedef/base type name). */
  typeDie(kind: 'struct' | 'union' | 'enum' | 'typedef', name: string): Die | undefined {
    const tags: readonly number[] =
      kind === 'struct' ? [TAG.structure_type, TAG.class_type] : kind === 'union' ? [TAG.union_type] : kind === 'enum' ? [TAG.enumeration_type] : [TAG.typedef, TAG.base_type];
    return this.named(name, (e) => tags.includes(e.tag) && !e.declaration);
  }

  /**
   * The first top-level DIE named `name` that `match` accepts: in the units
   * already read (a type a probed function's unit defines is found without
   * a scan), else in the first unit that has one.
   */
  private named(name: string, match: (e: ScannedName) => boolean): Die | undefined {
    for (const unit of this.info.loadedUnits()) {
      for (const d of unit.root.children) {
        if (match({ tag: d.tag, declaration: unit.flag(d, AT.declaration), offset: d.offset }) && this.info.name(d) === name) return d;
      }
    }
    let search = this.byName.get(name);
    if (!search) {
      search = { matcher: new NameMatcher(name, this.info.sections), found: [], next: 0 };
      this.byName.set(name, search);
    }
    for (;;) {
      const hit = search.found.find((f) => match(f.entry));
      if (hit) return this.info.unit(hit.header).dieAt(hit.entry.offset);
      if (search.next >= this.info.headers.length || search.matcher.bytes.length === 0) return undefined;
      const header = this.info.headers[search.next++]!;
      for (const entry of scanTopLevel(this.info.sections, header, unitAbbrevs(header, this.info.sections, this.abbrevs), NAMED_TAGS, search.matcher)) {
        search.found.push({ header, entry });
      }
    }
  }

  /**
   * The address of a source line (`file` matches the end of a path, by
   * whole components), as upstream finds it: the one unit whose files
   * include that path, then its lowest address on that line (and column).
   */
  lineAddress(file: string, line: number, column = 0): bigint {
    const units = this.unitRoots();
    let matched: { unit: Unit; table: LineTable; path: string } | undefined;
    for (const unit of units) {
      const table = this.lineTable(unit);
      for (const path of table?.files ?? []) {
        if (!path || !pathEndsWith(path, file)) continue;
        if (!matched) matched = { unit, table: table!, path };
        else if (path !== matched.path) throw new DebugInfoError(`Ambiguous source path, matches multiple files: ${matched.path}, ${path}`);
      }
    }
    if (!matched) throw new DebugInfoError(`No compilation unit matches ${file}`);
    let best: bigint | undefined;
    for (const row of matched.table.rows()) {
      if (row.endSequence || row.line !== line || (column !== 0 && row.column !== column)) continue;
      const src = matched.table.files[row.file];
      if (!src || !pathEndsWith(src, matched.path)) continue;
      if (best === undefined || row.address < best) best = row.address;
    }
    if (best === undefined) throw new DebugInfoError(`Unable to map '${file}:${line}${column > 0 ? `:${column}` : ''}' to address`);
    return best;
  }

  /** Every compile unit's own DIE (not its children): enough for line tables. */
  private unitRoots(): Unit[] {
    this.roots ??= this.info.headers.map((h) => readUnit(h, this.info.sections, this.abbrevs, true)).filter((u) => u.root.tag === TAG.compile_unit || u.root.tag === TAG.partial_unit);
    return this.roots;
  }

  private lineTable(unit: Unit): LineTable | undefined {
    const offset = unit.number(unit.root, AT.stmt_list);
    if (offset === undefined || !this.info.sections.get('line')) return undefined;
    if (!this.lineTables.has(offset)) this.lineTables.set(offset, readLineTable(this.info.sections, offset, unit.string(unit.root, AT.comp_dir) ?? ''));
    return this.lineTables.get(offset);
  }
}

/** Whether `path` ends with `pattern`, comparing whole path components (upstream's path_ends_with). */
export function pathEndsWith(path: string, pattern: string): boolean {
  const last = pattern.slice(pattern.lastIndexOf('/') + 1);
  if (!path.endsWith(last)) return false;
  const a = path.split('/').filter((p) => p !== '' && p !== '.');
  const b = pattern.split('/').filter((p) => p !== '' && p !== '.');
  if (b.length === 0 || b.length > a.length) return false;
  return b.every((part, i) => a[a.length - b.length + i] === part);
}
