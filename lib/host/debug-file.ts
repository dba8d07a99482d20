// Where a binary's DWARF is: in the binary itself, or in a separate debug file
// found as libdw's standard lookup (dwfl_standard_find_debuginfo) finds it,
// which is what bpftrace uses:
//
//   1. by build id: DIR/.build-id/xx/rest.debug for each absolute DIR of the
//      search path;
//   2. by name (the .gnu_debuglink name, else the binary's name + `.debug`),
//      for each entry of the search path: '' is the binary's own folder, a
//      relative entry a folder under it (`.debug`), an absolute one a tree
//      mirroring the binary's absolute folder (`/usr/lib/debug/usr/bin/x.debug`);
//   3. the same again for the file a symlink points to.
//
// A candidate counts only if it is another file than the binary and, when
// the binary has a build id, has the same one (else, when the debuglink has a
// CRC, the same CRC). The search path is the `--debuginfo` folders, then
// bpftrace's default `:.debug:/usr/lib/debug`.
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ElfFile } from './elf-file.ts';

/** bpftrace's default debug file search path (after any `--debuginfo` folders). */
export const DEFAULT_DEBUGINFO_PATH = ['', '.debug', '/usr/lib/debug'];

const NT_GNU_BUILD_ID = 3;

/** The build id of an ELF file (hex), from its `.note.gnu.build-id`; undefined when it has none. */
export function buildId(elf: ElfFile): string | undefined {
  const s = elf.section('.note.gnu.build-id');
  if (!s) return undefined;
  const b = elf.data(s);
  for (let o = 0; o + 12 <= b.length; ) {
    const namesz = b.readUInt32LE(o);
    const descsz = b.readUInt32LE(o + 4);
    const type = b.readUInt32LE(o + 8);
    const desc = o + 12 + ((namesz + 3) & ~3);
    if (desc + descsz > b.length) return undefined;
    if (type === NT_GNU_BUILD_ID && b.toString('latin1', o + 12, o + 12 + namesz).startsWith('GNU')) return b.toString('hex', desc, desc + descsz);
    o = desc + ((descsz + 3) & ~3);
  }
  return undefined;
}

/** The `.gnu_debuglink` of an ELF file: the debug file's name and its CRC-32. */
export function debugLink(elf: ElfFile): { name: string; crc: number } | undefined {
  const s = elf.section('.gnu_debuglink');
  if (!s) return undefined;
  const b = elf.data(s);
  const end = b.indexOf(0);
  if (end <= 0) return undefined;
  const crcAt = (end + 4) & ~3;
  return { name: b.toString('utf8', 0, end), crc: crcAt + 4 <= b.length ? b.readUInt32LE(crcAt) : 0 };
}

export interface DebugFileQuery {
  /** The binary's path as given (relative paths are searched relative to its folder). */
  path: string;
  elf: ElfFile;
  /** Search path entries, in order (see DEFAULT_DEBUGINFO_PATH). */
  searchPath: readonly string[];
}

/** The separate debug file of a binary (its path), or undefined when none is found. */
export function findDebugFile(q: DebugFileQuery): string | undefined {
  const id = buildId(q.elf);
  const link = debugLink(q.elf);
  const self = fileIdentity(q.path);
  const valid = (candidate: string): boolean => {
    const who = fileIdentity(candidate);
    if (!who || (self && who === self)) return false;
    try {
      const elf = ElfFile.openSections(candidate, (n) => n === '.note.gnu.build-id');
      if (id) return buildId(elf) === id;
      return !link?.crc || crc32(readFileSync(candidate)) === link.crc;
    } catch {
      return false;
    }
  };
  if (id) {
    for (const dir of q.searchPath) {
      const p = join(dir, '.build-id', id.slice(0, 2), `${id.slice(2)}.debug`);
      if (isAbsolute(dir) && valid(p)) return p;
    }
  }
  const byName = (path: string) => searchByName(path, link?.name, q.searchPath, valid);
  const found = byName(q.path);
  if (found) return found;
  const real = realPath(q.path);
  return real && real !== q.path ? byName(real) : undefined;
}

function searchByName(path: string, linkName: string | undefined, searchPath: readonly string[], valid: (p: string) => boolean): string | undefined {
  const name = linkName ?? `${basename(path)}.debug`;
  const dir = dirname(path);
  for (const entry of searchPath) {
    const folders: string[] = [];
    if (entry === '') folders.push(dir);
    else if (!isAbsolute(entry)) folders.push(join(dir, entry));
    else if (isAbsolute(dir)) {
      // The binary's folder under the entry, then with leading folders dropped one at a time.
      const parts = dir.split('/').filter(Boolean);
      for (let i = 0; i <= parts.length; i++) folders.push(join(entry, ...parts.slice(i)));
    }
    // A made-up name (no debuglink) is also tried as the binary's own name, outside its own folder.
    const candidates = folders.flatMap((f) => (linkName || entry === '' ? [join(f, name)] : [join(f, name), join(f, basename(path))]));
    for (const c of candidates) if (existsSync(c) && valid(c)) return c;
  }
  return undefined;
}

function fileIdentity(path: string): string | undefined {
  try {
    const s = statSync(path);
    return s.isFile() ? `${s.dev}:${s.ino}` : undefined;
  } catch {
    return undefined;
  }
}

function realPath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
