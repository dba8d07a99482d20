// Sizes of the BPF programs in a compiled object, read from its ELF symbol
// table (each FUNC symbol's size; BPF instructions are 8 bytes), for `-v`.
import { readFileSync } from 'node:fs';

const SHT_SYMTAB = 2;
const STT_FUNC = 2;
export const BPF_INSN_BYTES = 8;

/** Function name -> size in bytes, for every function symbol of an ELF64 little-endian object. */
export function functionSizes(objectPath: string): Map<string, number> {
  const b = readFileSync(objectPath);
  const out = new Map<string, number>();
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return out;
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const section = (i: number) => {
    const o = shoff + i * shentsize;
    return { type: b.readUInt32LE(o + 4), offset: Number(b.readBigUInt64LE(o + 0x18)), size: Number(b.readBigUInt64LE(o + 0x20)), link: b.readUInt32LE(o + 0x28), entsize: Number(b.readBigUInt64LE(o + 0x38)) };
  };
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    if (s.type !== SHT_SYMTAB || s.entsize === 0) continue;
    const strtab = section(s.link);
    for (let o = s.offset; o + s.entsize <= s.offset + s.size; o += s.entsize) {
      if ((b[o + 4]! & 0xf) !== STT_FUNC) continue;
      const nameOff = strtab.offset + b.readUInt32LE(o);
      const name = b.toString('latin1', nameOff, b.indexOf(0, nameOff));
      out.set(name, Number(b.readBigUInt64LE(o + 16)));
    }
  }
  return out;
}

/** Fields of /proc/self/fdinfo/FD for a BPF program fd (`prog_id`, `verified_insns`, `prog_tag`, ...). */
export function programFdInfo(fd: number): Record<string, string> {
  const info: Record<string, string> = {};
  try {
    for (const line of readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').split('\n')) {
      const m = /^(\w+):\s*(.*)$/.exec(line);
      if (m) info[m[1]!] = m[2]!;
    }
  } catch {
    // No fdinfo (not Linux, or the fd is gone): nothing to report.
  }
  return info;
}
