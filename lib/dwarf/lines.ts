// A unit's line-number program (.debug_line, versions 2 to 5): its file table
// and the rows its state machine produces (address, file, line, column).
// BTF has no line information, so attaching by source line reads this.
import { posix } from 'node:path';
import { Cursor, DwarfError, stringAt } from './cursor.ts';
import { FORM } from './constants.ts';
import { readForm, type Encoding } from './forms.ts';
import type { DwarfSections } from './sections.ts';

export interface LineRow {
  address: bigint;
  /** Index into the table's `files`. */
  file: number;
  line: number;
  column: number;
  isStmt: boolean;
  /** The first address past a sequence (not an instruction of it). */
  endSequence: boolean;
}

export interface LineTable {
  /** Source paths by file index (index 0 is the unit's primary file in DWARF 5; unused before). */
  files: string[];
  /** The rows, from running the program (on first call: a file list is often all a caller needs). */
  rows(): LineRow[];
}

const LNCT_path = 1;
const LNCT_directory_index = 2;

interface Header {
  version: number;
  minInstLength: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  standardLengths: number[];
  files: string[];
  programStart: number;
  end: number;
}

/** The line table at `offset` of .debug_line; `compDir` makes relative paths whole. */
export function readLineTable(sections: DwarfSections, offset: number, compDir: string): LineTable {
  const buf = sections.need('line');
  const c = new Cursor(buf, offset, '.debug_line');
  const h = readHeader(c, sections, compDir);
  let rows: LineRow[] | undefined;
  return {
    files: h.files,
    rows: () => {
      c.pos = h.programStart;
      rows ??= runProgram(c, h);
      return rows;
    },
  };
}

function readHeader(c: Cursor, sections: DwarfSections, compDir: string): Header {
  const { length, offsetSize } = c.initialLength();
  const end = c.pos + length;
  const version = c.u16();
  if (version < 2 || version > 5) throw new DwarfError(`.debug_line: unsupported version ${version} at offset ${c.pos - 2}`);
  let addressSize = 8;
  if (version >= 5) {
    addressSize = c.u8();
    c.u8(); // segment selector size
  }
  const headerLength = c.offset(offsetSize);
  const programStart = c.pos + headerLength;
  const minInstLength = c.u8();
  if (version >= 4) c.u8(); // maximum operations per instruction (VLIW)
  const defaultIsStmt = c.u8() !== 0;
  const lineBase = c.i8();
  const lineRange = c.u8();
  const opcodeBase = c.u8();
  if (lineRange === 0) throw new DwarfError('.debug_line: line_range is 0');
  const standardLengths: number[] = [];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(c.u8());
  const enc: Encoding = { version, addressSize, offsetSize };
  const files = version >= 5 ? readV5Files(c, sections, enc, compDir) : readV4Files(c, compDir);
  return { version, minInstLength, defaultIsStmt, lineBase, lineRange, opcodeBase, standardLengths, files, programStart, end };
}

function joinPath(dir: string, name: string): string {
  return posix.isAbsolute(name) || !dir ? name : posix.join(dir, name);
}

function readV4Files(c: Cursor, compDir: string): string[] {
  const dirs = [compDir];
  for (let d = c.cstring(); d !== ''; d = c.cstring()) dirs.push(joinPath(compDir, d));
  const files = [''];
  for (let name = c.cstring(); name !== ''; name = c.cstring()) {
    const dir = c.uleb();
    c.uleb(); // modification time
    c.uleb(); // length
    files.push(joinPath(dirs[dir] ?? '', name));
  }
  return files;
}

/** DWARF 5 directory and file tables: entries described by (content type, form) pairs. */
function readV5Files(c: Cursor, sections: DwarfSections, enc: Encoding, compDir: string): string[] {
  const readEntries = (): { path: string; dir: number }[] => {
    const formats: [number, number][] = [];
    const nFormats = c.u8();
    for (let i = 0; i < nFormats; i++) formats.push([c.uleb(), c.uleb()]);
    const count = c.uleb();
    const out: { path: string; dir: number }[] = [];
    for (let i = 0; i < count; i++) {
      const entry = { path: '', dir: 0 };
      for (const [content, form] of formats) {
        const a = readForm(c, { name: content, form }, enc);
        if (content === LNCT_path) entry.path = pathString(a.form, a.value, sections);
        else if (content === LNCT_directory_index && typeof a.value !== 'string' && !Buffer.isBuffer(a.value)) entry.dir = Number(a.value);
      }
      out.push(entry);
    }
    return out;
  };
  // Directory 0 is the unit's compilation directory; the others are relative to it.
  const raw = readEntries();
  const dir0 = joinPath(compDir, raw[0]?.path ?? '');
  const dirs = raw.map((d, i) => (i === 0 ? dir0 : joinPath(dir0, d.path)));
  return readEntries().map((f) => joinPath(dirs[f.dir] ?? '', f.path));
}

function pathString(form: number, value: unknown, sections: DwarfSections): string {
  if (form === FORM.string) return value as string;
  if (form === FORM.line_strp) return stringAt(sections.get('line_str'), value as number, '.debug_line_str');
  if (form === FORM.strp) return stringAt(sections.get('str'), value as number, '.debug_str');
  return '';
}

/** Runs the line-number state machine (DWARF 5, section 6.2.5). */
function runProgram(c: Cursor, h: Header): LineRow[] {
  const rows: LineRow[] = [];
  const initial = () => ({ address: 0n, file: 1, line: 1, column: 0, isStmt: h.defaultIsStmt });
  let s = initial();
  const emit = (endSequence: boolean) => rows.push({ ...s, endSequence });
  const advance = (opAdvance: number) => {
    s.address += BigInt(opAdvance * h.minInstLength);
  };
  while (c.pos < h.end) {
    const op = c.u8();
    if (op >= h.opcodeBase) {
      const adjusted = op - h.opcodeBase;
      advance(Math.floor(adjusted / h.lineRange));
      s.line += h.lineBase + (adjusted % h.lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = c.uleb();
        const next = c.pos + len;
        const ext = len > 0 ? c.u8() : 0;
        if (ext === 1) {
          emit(true);
          s = initial();
        } else if (ext === 2) s.address = c.uint(next - c.pos);
        c.pos = next; // define_file (v2-4), set_discriminator and vendor extensions are skipped
        break;
      }
      case 1:
        emit(false);
        break;
      case 2:
        advance(c.uleb());
        break;
      case 3:
        s.line += c.sleb();
        break;
      case 4:
        s.file = c.uleb();
        break;
      case 5:
        s.column = c.uleb();
        break;
      case 6:
        s.isStmt = !s.isStmt;
        break;
      case 8:
        advance(Math.floor((255 - h.opcodeBase) / h.lineRange));
        break;
      case 9:
        s.address += BigInt(c.u16());
        break;
      case 7: // basic_block
      case 10: // prologue_end
      case 11: // epilogue_begin
        break;
      default:
        // set_isa and opcodes this reader does not know: skip their LEB128 operands.
        for (let i = 0; i < (h.standardLengths[op - 1] ?? 0); i++) c.uleb();
    }
  }
  return rows;
}
