// Reads function symbols from ELF files (executables and shared libraries) to
// turn `uprobe:/bin/bash:readline` into a file offset, and finds libraries
// by name (`uprobe:libc:malloc`) through the dynamic linker's cache.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { globMatcher } from './glob.ts';
import { ElfFile, STT_FUNC, STT_GNU_IFUNC, type ElfLoadSegment, type ElfSymbolEntry } from './elf-file.ts';
import { DEFAULT_DEBUGINFO_PATH, findDebugFile } from './debug-file.ts';

export interface ElfSymbol {
  name: string;
  /** Virtual address (st_value). */
  address: bigint;
  size: bigint;
  /** File offset of the symbol's code: what a uprobe attaches at. */
  offset: number;
}

const symbolCache = new Map<string, ElfSymbol[]>();

function isFunction(sym: ElfSymbolEntry): boolean {
  return (sym.type === STT_FUNC || sym.type === STT_GNU_IFUNC) && sym.shndx !== 0 && sym.value !== 0n;
}

function functionSymbol(name: string, sym: ElfSymbolEntry, loads: readonly ElfLoadSegment[]): ElfSymbol {
  const seg = loads.find((l) => sym.value >= l.vaddr && sym.value < l.vaddr + l.filesz);
  const offset = seg ? Number(sym.value - seg.vaddr + seg.offset) : Number(sym.value);
  return { name, address: sym.value, size: sym.size, offset };
}

/** Function symbols of a 64-bit little-endian ELF file (.symtab and .dynsym), deduplicated by name. */
export function elfFunctions(path: string): ElfSymbol[] {
  const cached = symbolCache.get(path);
  if (cached) return cached;
  const elf = new ElfFile(readFileSync(path), path);
  const loads = elf.loadSegments();
  const byName = new Map<string, ElfSymbol>();
  for (const sym of elf.symbols()) {
    if (!isFunction(sym)) continue;
    const name = sym.name.replace(/@.*$/, '');
    if (!byName.has(name)) byName.set(name, functionSymbol(name, sym, loads));
  }
  const out = [...byName.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
  symbolCache.set(path, out);
  return out;
}

/**
 * The function named exactly `name` as bpftrace resolves a named uprobe
 * (bcc's reader): in the file's separate debug file (found by build id or
 * debuglink: libc6-dbg's for libc) first, then in the file's own tables, by
 * the names as they are spelt there (`ydhms_diff`, a static function of
 * libc; `memcpy@GLIBC_2.2.5`, its old version). elfFunctions and listings
 * keep to the file's own symbols: docs/status.md says why.
 */
export function namedFunction(path: string, name: string): ElfSymbol | undefined {
  const elf = new ElfFile(readFileSync(path), path);
  let debug: ElfSymbolEntry[] = [];
  try {
    const file = findDebugFile({ path, elf, searchPath: DEFAULT_DEBUGINFO_PATH });
    if (file) debug = ElfFile.openSections(file, (n) => n === '.symtab' || n === '.strtab').symbols();
  } catch {
    // A debug file that cannot be read names nothing.
  }
  const sym = [...debug, ...elf.symbols()].find((s) => s.name === name && isFunction(s));
  return sym && functionSymbol(name, sym, elf.loadSegments());
}

export function matchElfFunctions(path: string, glob: string): ElfSymbol[] {
  const re = globMatcher(glob);
  return elfFunctions(path).filter((s) => re.test(s.name));
}

/**
 * The file a uprobe target names: a path as given, or a library name
 * (`libc`, `libc.so.6`) looked up in the dynamic linker's cache.
 */
export function resolveBinary(target: string): string | undefined {
  if (target.includes('/')) return existsSync(target) ? target : undefined;
  let cache = '';
  try {
    cache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const want = target.startsWith('lib') ? target : `lib${target}`;
  for (const line of cache.split('\n')) {
    const m = /^\s*(\S+) \(([^)]*)\) => (\S+)$/.exec(line);
    if (!m || !m[2].includes('x86-64')) continue;
    if (m[1] === want || m[1].startsWith(`${want}.so`)) return m[3];
  }
  return undefined;
}

export interface UsdtProbe {
  provider: string;
  name: string;
}

/** USDT probes (`.note.stapsdt` notes) of an ELF file, in note order, unique. */
export function elfUsdtProbes(path: string): UsdtProbe[] {
  const elf = new ElfFile(readFileSync(path), path);
  const b = elf.bytes;
  const out: UsdtProbe[] = [];
  const seen = new Set<string>();
  for (const s of elf.sections) {
    if (s.name !== '.note.stapsdt') continue;
    for (let o = s.offset; o + 12 <= s.offset + s.size; ) {
      const namesz = b.readUInt32LE(o);
      const descsz = b.readUInt32LE(o + 4);
      const type = b.readUInt32LE(o + 8);
      const owner = b.toString('latin1', o + 12, o + 12 + namesz - 1);
      const desc = o + 12 + ((namesz + 3) & ~3);
      if (type === 3 && owner === 'stapsdt') {
        // pc, base, semaphore (3 x 8 bytes), then provider\0 name\0 args\0.
        const strings = b.toString('latin1', desc + 24, desc + descsz).split('\0');
        const key = `${strings[0]}:${strings[1]}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push({ provider: strings[0], name: strings[1] });
        }
      }
      o = desc + ((descsz + 3) & ~3);
    }
  }
  return out;
}
