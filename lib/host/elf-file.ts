// ELF64 little-endian files: section headers (with names), program headers,
// symbols. The one reader behind uprobe symbol offsets, USDT notes, BPF
// object inspection (C interop, -v sizes), .BTF extraction and DWARF.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export class ElfError extends Error {}

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  /** SHF_* bits (SHF_COMPRESSED: 0x800). */
  flags: number;
  /** Virtual address when loaded (0 for sections that are not). */
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  entsize: number;
}

export type SymbolBinding = 'local' | 'global' | 'weak' | 'other';

export interface ElfSymbolEntry {
  name: string;
  binding: SymbolBinding;
  /** STT_* (1 object, 2 function, 10 GNU ifunc). */
  type: number;
  hidden: boolean;
  /** Section index (0: undefined; 0xff00 and up: special). */
  shndx: number;
  /** Name of the defining section; undefined for undefined or special symbols. */
  section?: string;
  value: bigint;
  size: bigint;
  /** File offset of the Elf64_Sym entry (to patch it). */
  entryOffset: number;
  /** From .dynsym rather than .symtab. */
  dynamic: boolean;
}

export interface ElfLoadSegment {
  vaddr: bigint;
  offset: bigint;
  filesz: bigint;
}

export const ET_EXEC = 2;
export const ET_DYN = 3;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const SHT_DYNSYM = 11;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_GNU_IFUNC = 10;
export const STV_HIDDEN = 2;
const PT_LOAD = 1;

export class ElfFile {
  /**
   * An ELF file of which only the headers and the sections `wanted` picks are
   * read (the rest of the buffer is zeros): the debug sections of a 100 MB
   * executable without reading its code.
   */
  static openSections(path: string, wanted: (name: string) => boolean): ElfFile {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const bytes = Buffer.alloc(size); // large zero-filled buffers are mapped lazily: unread parts cost no memory
      const read = (offset: number, length: number) => {
        const end = Math.min(size, offset + length);
        if (offset >= 0 && offset < end) readSync(fd, bytes, offset, end - offset, offset);
      };
      read(0, 64);
      if (size >= 64 && bytes.readUInt32BE(0) === 0x7f454c46 && bytes[4] === 2 && bytes[5] === 1) {
        read(Number(bytes.readBigUInt64LE(0x20)), bytes.readUInt16LE(0x36) * bytes.readUInt16LE(0x38)); // program headers
        const shoff = Number(bytes.readBigUInt64LE(0x28));
        const shentsize = bytes.readUInt16LE(0x3a);
        read(shoff, shentsize * bytes.readUInt16LE(0x3c));
        const strtab = shoff + bytes.readUInt16LE(0x3e) * shentsize;
        if (strtab + 0x28 <= size) read(Number(bytes.readBigUInt64LE(strtab + 0x18)), Number(bytes.readBigUInt64LE(strtab + 0x20)));
      }
      const elf = new ElfFile(bytes, path);
      for (const s of elf.sections) if (s.type !== SHT_NOBITS && wanted(s.name)) read(s.offset, s.size);
      return elf;
    } finally {
      closeSync(fd);
    }
  }

  readonly sections: ElfSection[];
  readonly machine: number;
  /** e_type: ET_EXEC for a fixed-address executable, ET_DYN for a PIE or a shared library. */
  readonly type: number;

  constructor(readonly bytes: Buffer, readonly name: string) {
    if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new ElfError(`${name} is not an ELF file`);
    if (bytes[4] !== 2 || bytes[5] !== 1) throw new ElfError(`${name} is not a 64-bit little-endian ELF file`);
    this.type = bytes.readUInt16LE(0x10);
    this.machine = bytes.readUInt16LE(0x12);
    const shoff = Number(bytes.readBigUInt64LE(0x28));
    const shentsize = bytes.readUInt16LE(0x3a);
    const shnum = bytes.readUInt16LE(0x3c);
    const shstrndx = bytes.readUInt16LE(0x3e);
    if (shoff + shnum * shentsize > bytes.length) throw new ElfError(`${name}: truncated section headers`);
    const raw: (Omit<ElfSection, 'name'> & { nameOff: number })[] = [];
    for (let i = 0; i < shnum; i++) {
      const at = shoff + i * shentsize;
      raw.push({
        index: i,
        nameOff: bytes.readUInt32LE(at),
        type: bytes.readUInt32LE(at + 4),
        flags: Number(bytes.readBigUInt64LE(at + 8)),
        addr: bytes.readBigUInt64LE(at + 0x10),
        offset: Number(bytes.readBigUInt64LE(at + 0x18)),
        size: Number(bytes.readBigUInt64LE(at + 0x20)),
        link: bytes.readUInt32LE(at + 0x28),
        entsize: Number(bytes.readBigUInt64LE(at + 0x38)),
      });
    }
    const strtab = raw[shstrndx];
    this.sections = raw.map(({ nameOff, ...s }) => ({ ...s, name: strtab ? this.string(strtab.offset, strtab.size, nameOff) : '' }));
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  data(s: ElfSection): Buffer {
    if (s.offset + s.size > this.bytes.length) throw new ElfError(`${this.name}: section ${s.name} runs past the end of the file`);
    return this.bytes.subarray(s.offset, s.offset + s.size);
  }

  /** PT_LOAD segments: where virtual addresses live in the file. */
  loadSegments(): ElfLoadSegment[] {
    const b = this.bytes;
    const phoff = Number(b.readBigUInt64LE(0x20));
    const phentsize = b.readUInt16LE(0x36);
    const phnum = b.readUInt16LE(0x38);
    const out: ElfLoadSegment[] = [];
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * phentsize;
      if (b.readUInt32LE(o) !== PT_LOAD) continue;
      out.push({ offset: b.readBigUInt64LE(o + 8), vaddr: b.readBigUInt64LE(o + 16), filesz: b.readBigUInt64LE(o + 32) });
    }
    return out;
  }

  /** The file offset of a virtual address (where a uprobe on it attaches); undefined outside every PT_LOAD segment. */
  fileOffset(vaddr: bigint): number | undefined {
    const seg = this.loadSegments().find((l) => vaddr >= l.vaddr && vaddr < l.vaddr + l.filesz);
    return seg ? Number(vaddr - seg.vaddr + seg.offset) : undefined;
  }

  /** Every symbol of .symtab and .dynsym (the null entry left out). */
  symbols(): ElfSymbolEntry[] {
    const out: ElfSymbolEntry[] = [];
    for (const table of this.sections) {
      if (table.type !== SHT_SYMTAB && table.type !== SHT_DYNSYM) continue;
      const strtab = this.sections[table.link];
      const step = table.entsize || 24;
      for (let at = table.offset + step; at + 24 <= table.offset + table.size; at += step) {
        const b = this.bytes;
        const info = b[at + 4]!;
        const bind = info >> 4;
        const shndx = b.readUInt16LE(at + 6);
        const sym: ElfSymbolEntry = {
          name: strtab ? this.string(strtab.offset, strtab.size, b.readUInt32LE(at)) : '',
          binding: bind === 0 ? 'local' : bind === 1 ? 'global' : bind === 2 ? 'weak' : 'other',
          type: info & 0xf,
          hidden: (b[at + 5]! & 3) === STV_HIDDEN,
          shndx,
          value: b.readBigUInt64LE(at + 8),
          size: b.readBigUInt64LE(at + 16),
          entryOffset: at,
          dynamic: table.type === SHT_DYNSYM,
        };
        if (shndx !== 0 && shndx < 0xff00) sym.section = this.sections[shndx]?.name;
        out.push(sym);
      }
    }
    return out;
  }

  /** The GNU build ID (`.note.gnu.build-id`) in hex, if the file has one. */
  buildId(): string | undefined {
    const s = this.section('.note.gnu.build-id');
    if (!s || s.offset + 16 > this.bytes.length) return undefined;
    const b = this.bytes;
    const namesz = b.readUInt32LE(s.offset);
    const descsz = b.readUInt32LE(s.offset + 4);
    const desc = s.offset + 12 + ((namesz + 3) & ~3);
    if (desc + descsz > b.length) return undefined;
    return b.toString('hex', desc, desc + descsz);
  }

  private string(tableOffset: number, tableSize: number, off: number): string {
    const start = tableOffset + off;
    const end = this.bytes.indexOf(0, start);
    return this.bytes.toString('utf8', start, end < 0 ? tableOffset + tableSize : end);
  }
}
