// A binary's debug information, opened once per process: the binary's own
// DWARF, else its separate debug file (lib/host/debug-file.ts). Undefined when there is
// none; a DwarfError when the file is malformed or uses what this reader does
// not read.
import { statSync } from 'node:fs';
import { ElfError, ElfFile } from '../host/elf-file.ts';
import { DwarfBinary } from './binary.ts';
import { BinaryTypes } from './binary-types.ts';
import { DwarfError } from './cursor.ts';
import { DEFAULT_DEBUGINFO_PATH, findDebugFile } from '../host/debug-file.ts';
import { DwarfInfo } from './info.ts';
import { DwarfSections, isDebugSection } from './sections.ts';

/** What the compiler keeps of one binary's debug information. */
export interface BinaryDebugInfo {
  dwarf: DwarfBinary;
  types: BinaryTypes;
}

const opened = new Map<string, BinaryDebugInfo | null>();

/**
 * The debug information of `path` (a binary or library), searching separate
 * debug files in `debuginfoDirs` (`--debuginfo`) and then bpftrace's
 * default places.
 */
export function binaryDebugInfo(path: string, debuginfoDirs: readonly string[] = []): BinaryDebugInfo | undefined {
  let stamp: string;
  try {
    const s = statSync(path);
    stamp = `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
  const searchPath = [...debuginfoDirs, ...DEFAULT_DEBUGINFO_PATH];
  const key = `${path}\0${stamp}\0${searchPath.join(':')}`;
  let info = opened.get(key);
  if (info === undefined) {
    try {
      info = open(path, searchPath) ?? null;
    } catch (e) {
      if (e instanceof ElfError) throw new DwarfError(e.message);
      throw e;
    }
    opened.set(key, info);
  }
  return info ?? undefined;
}

function open(path: string, searchPath: readonly string[]): BinaryDebugInfo | undefined {
  const elf = ElfFile.openSections(path, isDebugSection);
  let sections = new DwarfSections(elf);
  let debugPath = path;
  if (!sections.hasInfo) {
    const found = findDebugFile({ path, elf, searchPath });
    if (!found) return undefined;
    sections = new DwarfSections(ElfFile.openSections(found, isDebugSection));
    debugPath = found;
    if (!sections.hasInfo) return undefined;
  }
  if (sections.elf.section('.gnu_debugaltlink')) {
    throw new DwarfError(`${debugPath} shares its DWARF with another file (.gnu_debugaltlink, made by dwz), which bpfscript does not read`);
  }
  const dwarf = new DwarfBinary(path, debugPath, new DwarfInfo(sections));
  return { dwarf, types: new BinaryTypes(dwarf) };
}
