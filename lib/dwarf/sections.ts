// The DWARF sections of one ELF file, each read (and inflated, for sections
// compressed with SHF_COMPRESSED or the older `.zdebug_*` naming) on first use.
import { inflateSync } from 'node:zlib';
import { SHT_NOBITS, type ElfFile, type ElfSection } from '../host/elf-file.ts';
import { DwarfError } from './cursor.ts';

const SHF_COMPRESSED = 0x800;
const ELFCOMPRESS_ZLIB = 1;
const ELFCOMPRESS_ZSTD = 2;

export type DwarfSectionName =
  | 'info'
  | 'abbrev'
  | 'str'
  | 'line_str'
  | 'str_offsets'
  | 'addr'
  | 'line'
  | 'aranges'
  | 'rnglists'
  | 'ranges';

/** Whether a section is one a DWARF reader (or the debug file search) reads. */
export function isDebugSection(name: string): boolean {
  return name.startsWith('.debug_') || name.startsWith('.zdebug_') || name === '.note.gnu.build-id' || name === '.gnu_debuglink' || name === '.gnu_debugaltlink';
}

export class DwarfSections {
  private readonly cache = new Map<DwarfSectionName, Buffer | null>();

  constructor(readonly elf: ElfFile) {}

  /** Whether the file carries debug information of its own (not only a link to a separate file). */
  get hasInfo(): boolean {
    return this.find('info') !== undefined;
  }

  /** The section's bytes, inflated; undefined when the file has none. */
  get(name: DwarfSectionName): Buffer | undefined {
    let data = this.cache.get(name);
    if (data === undefined) {
      const s = this.find(name);
      data = s ? this.read(s) : null;
      this.cache.set(name, data);
    }
    return data ?? undefined;
  }

  /** Like `get`, but the section must be there. */
  need(name: DwarfSectionName): Buffer {
    const data = this.get(name);
    if (!data) throw new DwarfError(`${this.elf.name}: no .debug_${name} section`);
    return data;
  }

  private find(name: DwarfSectionName): ElfSection | undefined {
    const s = this.elf.section(`.debug_${name}`) ?? this.elf.section(`.zdebug_${name}`);
    return s && s.type !== SHT_NOBITS && s.size > 0 ? s : undefined;
  }

  private read(s: ElfSection): Buffer {
    const raw = this.elf.data(s);
    try {
      if (s.flags & SHF_COMPRESSED) {
        const type = raw.readUInt32LE(0);
        if (type === ELFCOMPRESS_ZSTD) throw new DwarfError(`${this.elf.name}: ${s.name} is compressed with zstd, which this reader cannot inflate`);
        if (type !== ELFCOMPRESS_ZLIB) throw new DwarfError(`${this.elf.name}: ${s.name} uses unknown compression ${type}`);
        // Elf64_Chdr: type, reserved, size (u64), alignment (u64).
        return inflateSync(raw.subarray(24), { maxOutputLength: Number(raw.readBigUInt64LE(8)) });
      }
      if (s.name.startsWith('.zdebug_')) {
        if (raw.toString('latin1', 0, 4) !== 'ZLIB') throw new DwarfError(`${this.elf.name}: ${s.name} lacks its ZLIB header`);
        return inflateSync(raw.subarray(12), { maxOutputLength: Number(raw.readBigUInt64BE(4)) });
      }
    } catch (e) {
      if (e instanceof DwarfError) throw e;
      throw new DwarfError(`${this.elf.name}: cannot inflate ${s.name}: ${(e as Error).message}`);
    }
    return raw;
  }
}
