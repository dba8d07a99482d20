// What `-v` reports of a loaded program: its kernel id (from the fd's
// /proc/self/fdinfo) and its size as compiled (the FUNC symbol's size in the
// object's ELF symbol table; BPF instructions are 8 bytes).
import { readFileSync } from 'node:fs';
import { ElfFile, STT_FUNC } from '../../../lib/host/elf-file.ts';

export const BPF_INSN_BYTES = 8;

/** Function name -> size in bytes, for every function symbol of an ELF64 little-endian object. */
export function functionSizes(objectPath: string): Map<string, number> {
  const out = new Map<string, number>();
  let elf: ElfFile;
  try {
    elf = new ElfFile(readFileSync(objectPath), objectPath);
  } catch {
    return out;
  }
  for (const sym of elf.symbols()) if (sym.type === STT_FUNC && !sym.dynamic) out.set(sym.name, Number(sym.size));
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
