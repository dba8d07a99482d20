// Reads function symbols from ELF files (executables and shared libraries) to
// turn `uprobe:/bin/bash:readline` into a file offset, and finds libraries
// by name (`uprobe:libc:malloc`) through the dynamic linker's cache.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { globToRegExp } from './glob.ts';

export interface ElfSymbol {
  name: string;
  /** Virtual address (st_value). */
  address: bigint;
  size: bigint;
  /** File offset of the symbol's code: what a uprobe attaches at. */
  offset: number;
}

const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const PT_LOAD = 1;

const symbolCache = new Map<string, ElfSymbol[]>();

/** Function symbols of a 64-bit little-endian ELF file (.symtab and .dynsym), deduplicated by name. */
export function elfFunctions(path: string): ElfSymbol[] {
  const cached = symbolCache.get(path);
  if (cached) return cached;
  const b = readFileSync(path);
  if (b.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${path} is not an ELF file`);
  if (b[4] !== 2 || b[5] !== 1) throw new Error(`${path}: only 64-bit little-endian ELF files are supported`);
  const phoff = Number(b.readBigUInt64LE(0x20));
  const shoff = Number(b.readBigUInt64LE(0x28));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const loads: { vaddr: bigint; offset: bigint; filesz: bigint }[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (b.readUInt32LE(o) !== PT_LOAD) continue;
    loads.push({ offset: b.readBigUInt64LE(o + 8), vaddr: b.readBigUInt64LE(o + 16), filesz: b.readBigUInt64LE(o + 32) });
  }
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: b.readUInt32LE(o + 4),
      offset: Number(b.readBigUInt64LE(o + 0x18)),
      size: Number(b.readBigUInt64LE(o + 0x20)),
      link: b.readUInt32LE(o + 0x28),
      entsize: Number(b.readBigUInt64LE(o + 0x38)),
    });
  }
  const byName = new Map<string, ElfSymbol>();
  for (const s of sections) {
    if (s.type !== SHT_SYMTAB && s.type !== SHT_DYNSYM) continue;
    const strtab = sections[s.link];
    for (let o = s.offset; o + 24 <= s.offset + s.size; o += s.entsize || 24) {
      const info = b[o + 4];
      const type = info & 0xf;
      const shndx = b.readUInt16LE(o + 6);
      const address = b.readBigUInt64LE(o + 8);
      if ((type !== STT_FUNC && type !== STT_GNU_IFUNC) || shndx === 0 || address === 0n) continue;
      const nameOff = strtab.offset + b.readUInt32LE(o);
      const name = b.toString('latin1', nameOff, b.indexOf(0, nameOff)).replace(/@.*$/, '');
      if (byName.has(name)) continue;
      const seg = loads.find((l) => address >= l.vaddr && address < l.vaddr + l.filesz);
      const offset = seg ? Number(address - seg.vaddr + seg.offset) : Number(address);
      byName.set(name, { name, address, size: b.readBigUInt64LE(o + 16), offset });
    }
  }
  const out = [...byName.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
  symbolCache.set(path, out);
  return out;
}

export function matchElfFunctions(path: string, glob: string): ElfSymbol[] {
  const re = globToRegExp(glob);
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
  const b = readFileSync(path);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) throw new Error(`${path} is not a 64-bit little-endian ELF file`);
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const shstrndx = b.readUInt16LE(0x3e);
  const section = (i: number) => {
    const o = shoff + i * shentsize;
    return { name: b.readUInt32LE(o), type: b.readUInt32LE(o + 4), offset: Number(b.readBigUInt64LE(o + 0x18)), size: Number(b.readBigUInt64LE(o + 0x20)) };
  };
  const names = section(shstrndx);
  const out: UsdtProbe[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    const nameOff = names.offset + s.name;
    if (b.toString('latin1', nameOff, b.indexOf(0, nameOff)) !== '.note.stapsdt') continue;
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
