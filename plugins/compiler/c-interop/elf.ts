// A BPF object as the interop layer sees it: its sections and symbols (from
// the shared ELF reader) and the functions it defines for others.
import { ElfError, ElfFile, STT_FUNC, STV_HIDDEN, type ElfSection, type ElfSymbolEntry } from '../../../lib/host/elf-file.ts';

export { ElfError, type ElfSection };
export type ElfSymbol = ElfSymbolEntry;
export type { SymbolBinding } from '../../../lib/host/elf-file.ts';

const EM_BPF = 247;

/**
 * A function an object defines for others: global (or weak) and in `.text`.
 * Functions in other sections are programs (`SEC("...")`); static ones are
 * private to their file.
 */
export function isExportedFunction(s: ElfSymbol): boolean {
  return s.type === STT_FUNC && (s.binding === 'global' || s.binding === 'weak') && s.section === '.text';
}

export class BpfElf extends ElfFile {
  constructor(bytes: Buffer, name: string) {
    super(bytes, name);
    if (this.machine !== EM_BPF) throw new ElfError(`${name} is not a BPF object (compile it with clang -target bpf)`);
  }

  /**
   * A copy in which every global or weak function of `.text` has hidden
   * visibility (what `-fvisibility=hidden` gives functions); `bytes` itself
   * when there is nothing to change.
   */
  withHiddenFunctions(): Buffer {
    const targets = this.symbols().filter((s) => isExportedFunction(s) && !s.hidden);
    if (targets.length === 0) return this.bytes;
    const out = Buffer.from(this.bytes);
    for (const s of targets) out[s.entryOffset + 5] = (out[s.entryOffset + 5]! & ~3) | STV_HIDDEN;
    return out;
  }
}
