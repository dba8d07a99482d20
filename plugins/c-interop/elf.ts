// Just enough of ELF64 (little-endian, EM_BPF) to list a BPF object's
// sections and symbols and take its .BTF section: what the interop layer
// needs to find the functions an imported object defines.

const EM_BPF = 247;
const SHT_SYMTAB = 2;
const STT_FUNC = 2;
const STV_HIDDEN = 2;

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  offset: number;
  size: number;
  link: number;
}

export type SymbolBinding = 'local' | 'global' | 'weak' | 'other';

export interface ElfSymbol {
  name: string;
  binding: SymbolBinding;
  /** STT_* (2 = function, 1 = object). */
  type: number;
  hidden: boolean;
  /** Name of the section it is defined in; undefined for an undefined (extern) symbol. */
  section?: string;
}

export class ElfError extends Error {}

/**
 * A function an object defines for others: global (or weak) and in `.text`.
 * Functions in other sections are programs (`SEC("...")`); static ones are
 * private to their file.
 */
export function isExportedFunction(s: ElfSymbol): boolean {
  return s.type === STT_FUNC && (s.binding === 'global' || s.binding === 'weak') && s.section === '.text';
}

export class BpfElf {
  readonly sections: ElfSection[];

  constructor(readonly bytes: Buffer, readonly name: string) {
    if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new ElfError(`${name} is not an ELF file`);
    if (bytes[4] !== 2 || bytes[5] !== 1) throw new ElfError(`${name} is not a 64-bit little-endian ELF file`);
    if (bytes.readUInt16LE(0x12) !== EM_BPF) throw new ElfError(`${name} is not a BPF object (compile it with clang -target bpf)`);
    const shoff = Number(bytes.readBigUInt64LE(0x28));
    const shentsize = bytes.readUInt16LE(0x3a);
    const shnum = bytes.readUInt16LE(0x3c);
    const shstrndx = bytes.readUInt16LE(0x3e);
    if (shoff + shnum * shentsize > bytes.length) throw new ElfError(`${name}: truncated section headers`);
    const raw: Omit<ElfSection, 'name'>[] = [];
    const nameOffs: number[] = [];
    for (let i = 0; i < shnum; i++) {
      const at = shoff + i * shentsize;
      nameOffs.push(bytes.readUInt32LE(at));
      raw.push({
        index: i,
        type: bytes.readUInt32LE(at + 4),
        offset: Number(bytes.readBigUInt64LE(at + 24)),
        size: Number(bytes.readBigUInt64LE(at + 32)),
        link: bytes.readUInt32LE(at + 40),
      });
    }
    const strtab = raw[shstrndx];
    this.sections = raw.map((s, i) => ({ ...s, name: strtab ? this.str(strtab, nameOffs[i]!) : '' }));
  }

  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  data(s: ElfSection): Buffer {
    if (s.offset + s.size > this.bytes.length) throw new ElfError(`${this.name}: section ${s.name} runs past the end of the file`);
    return this.bytes.subarray(s.offset, s.offset + s.size);
  }

  symbols(): ElfSymbol[] {
    return this.symbolEntries().map((e) => e.symbol);
  }

  /**
   * A copy in which every global or weak function of `.text` has hidden
   * visibility (what `-fvisibility=hidden` gives functions); `bytes` itself
   * when there is nothing to change.
   */
  withHiddenFunctions(): Buffer {
    const targets = this.symbolEntries().filter(({ symbol: s }) => isExportedFunction(s) && !s.hidden);
    if (targets.length === 0) return this.bytes;
    const out = Buffer.from(this.bytes);
    for (const { offset } of targets) out[offset + 5] = (out[offset + 5]! & ~3) | STV_HIDDEN;
    return out;
  }

  /** Each symbol with the file offset of its Elf64_Sym entry. */
  private symbolEntries(): { symbol: ElfSymbol; offset: number }[] {
    const symtab = this.sections.find((s) => s.type === SHT_SYMTAB);
    if (!symtab) return [];
    const strtab = this.sections[symtab.link];
    const data = this.data(symtab);
    const out: { symbol: ElfSymbol; offset: number }[] = [];
    for (let at = 24; at + 24 <= data.length; at += 24) {
      const info = data[at + 4]!;
      const shndx = data.readUInt16LE(at + 6);
      const bind = info >> 4;
      const sym: ElfSymbol = {
        name: strtab ? this.str(strtab, data.readUInt32LE(at)) : '',
        binding: bind === 0 ? 'local' : bind === 1 ? 'global' : bind === 2 ? 'weak' : 'other',
        type: info & 0xf,
        hidden: (data[at + 5]! & 3) === STV_HIDDEN,
      };
      // 0 is SHN_UNDEF; 0xff00 and up are special indexes (absolute, common).
      if (shndx !== 0 && shndx < 0xff00) sym.section = this.sections[shndx]?.name;
      out.push({ symbol: sym, offset: symtab.offset + at });
    }
    return out;
  }

  private str(table: Omit<ElfSection, 'name'>, off: number): string {
    const start = table.offset + off;
    const end = this.bytes.indexOf(0, start);
    return this.bytes.toString('utf8', start, end < 0 ? table.offset + table.size : end);
  }
}
