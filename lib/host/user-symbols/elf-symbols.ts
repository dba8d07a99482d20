// The symbols of one ELF file (an executable or a shared library) by address,
// for naming user-space code and data: functions and objects from .symtab,
// else .dynsym, else from the separate debug file its build ID names
// (/usr/lib/debug/.build-id/xx/yyyy.debug), as bcc's symbolizer does. Each
// file is read once and kept while it is unchanged.
import { readFileSync, statSync } from 'node:fs';
import { ElfFile, ET_EXEC, SHT_SYMTAB, STT_FUNC, STT_GNU_IFUNC, STT_OBJECT, type ElfLoadSegment, type ElfSymbolEntry } from '../elf-file.ts';

export interface SymbolHit {
  name: string;
  /** The symbol's address (st_value). */
  start: bigint;
}

const wanted = new Set([STT_FUNC, STT_GNU_IFUNC, STT_OBJECT]);

/**
 * Which of two symbols at one address names it, as perf chooses: globals
 * before weak and local ones, then fewer leading underscores, then the
 * shorter name (`malloc` rather than `__libc_malloc`).
 */
function preference(a: ElfSymbolEntry, b: ElfSymbolEntry): number {
  const bind = (s: ElfSymbolEntry) => (s.binding === 'global' ? 0 : s.binding === 'weak' ? 1 : 2);
  const underscores = (s: ElfSymbolEntry) => /^_*/.exec(s.name)![0].length;
  return bind(a) - bind(b) || underscores(a) - underscores(b) || a.name.length - b.name.length;
}

export class ElfSymbols {
  private readonly starts: bigint[] = [];
  private readonly ends: bigint[] = [];
  private readonly names: string[] = [];

  constructor(
    symbols: readonly ElfSymbolEntry[],
    private readonly loads: readonly ElfLoadSegment[],
    /** ET_EXEC: the file's addresses are the process's. */
    readonly fixedAddress: boolean,
  ) {
    const kept = symbols
      .filter((s) => wanted.has(s.type) && s.shndx !== 0 && s.value !== 0n && s.name !== '')
      .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : preference(a, b)));
    for (const s of kept) {
      const name = s.name.replace(/@.*$/, '');
      const n = this.starts.length;
      if (n > 0 && this.starts[n - 1] === s.value) continue;
      this.starts.push(s.value);
      this.ends.push(s.value + s.size);
      this.names.push(name);
    }
  }

  get size(): number {
    return this.starts.length;
  }

  /**
   * The symbol holding file address `vaddr`: the nearest one at or below it
   * whose extent covers it (a zero-sized symbol only at its own address).
   */
  lookup(vaddr: bigint): SymbolHit | undefined {
    let lo = 0;
    let hi = this.starts.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= vaddr) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // A few steps back finds an enclosing symbol behind a smaller one that ends before vaddr.
    for (let i = at; i >= 0 && at - i < 16; i--) {
      const start = this.starts[i]!;
      const end = this.ends[i]!;
      if (vaddr < end || (end === start && vaddr === start)) return { name: this.names[i]!, start };
    }
    return undefined;
  }

  /** The file address that file offset `offset` is loaded at (through the PT_LOAD segments). */
  addressOfFileOffset(offset: bigint): bigint | undefined {
    const seg = this.loads.find((l) => offset >= l.offset && offset < l.offset + l.filesz);
    return seg ? offset - seg.offset + seg.vaddr : undefined;
  }
}

/** The separate debug file of a stripped file, through its build ID, if installed. */
function debugFile(elf: ElfFile): ElfFile | undefined {
  const id = elf.buildId();
  if (!id || id.length < 4) return undefined;
  const path = `/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`;
  try {
    return new ElfFile(readFileSync(path), path);
  } catch {
    return undefined;
  }
}

function load(path: string): ElfSymbols {
  const elf = new ElfFile(readFileSync(path), path);
  let symbols = elf.symbols();
  if (!elf.sections.some((s) => s.type === SHT_SYMTAB)) {
    const debug = debugFile(elf);
    if (debug) symbols = [...debug.symbols(), ...symbols];
  }
  return new ElfSymbols(symbols, elf.loadSegments(), elf.type === ET_EXEC);
}

const cache = new Map<string, { stamp: string; symbols: ElfSymbols | undefined }>();

/** The symbols of the ELF file at `path`, or undefined when it cannot be read as one. */
export function elfSymbols(path: string): ElfSymbols | undefined {
  let stamp: string;
  try {
    const st = statSync(path);
    stamp = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const hit = cache.get(path);
  if (hit && hit.stamp === stamp) return hit.symbols;
  let symbols: ElfSymbols | undefined;
  try {
    symbols = load(path);
  } catch {
    symbols = undefined;
  }
  cache.set(path, { stamp, symbols });
  return symbols;
}
