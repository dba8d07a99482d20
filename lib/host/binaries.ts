// The files a uprobe or USDT target names, resolved as bpftrace resolves
// them: a path (wildcards expanded like a shell glob), a program name looked
// up in PATH, a library name (`libc`) through the dynamic linker's cache;
// with -p PID in another mount namespace, in that process's file system
// (`/proc/PID/root/...`). Only ELF executables and shared objects qualify.
import { closeSync, openSync, readSync, readdirSync, statSync, existsSync } from 'node:fs';
import { globMatcher, hasWildcard } from './glob.ts';
import { resolveBinary } from './elf.ts';
import { inOtherMountNamespace, pathInProcess, processPathVariable } from './processes.ts';

export interface BinaryLookup {
  /** -p PID: resolve in this process's mount namespace (and PATH) when it differs from ours. */
  pid?: number;
  /** --unsafe: a single path given as is only has to exist (JIT caches are not ELF). */
  unsafe?: boolean;
}

const ET_EXEC = 2;
const ET_DYN = 3;

/** The ELF type (e_type) of a file, or undefined when it is not an ELF file. */
function elfType(path: string): number | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const header = Buffer.alloc(18);
    if (readSync(fd, header, 0, 18, 0) < 18 || header.readUInt32BE(0) !== 0x7f454c46) return undefined;
    return header.readUInt16LE(16);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** An executable (with the owner's execute bit) or a shared object. */
function isBinary(path: string): boolean {
  const type = elfType(path);
  if (type === ET_DYN) return true;
  if (type !== ET_EXEC) return false;
  try {
    return (statSync(path).mode & 0o100) !== 0;
  } catch {
    return false;
  }
}

/**
 * Paths matching a glob (`*`, `?`, `[...]` within one path component), in
 * sorted order as glob(3) gives them; a pattern without wildcards is itself.
 * Leading dots are only matched by a pattern that starts with one.
 */
export function expandPathGlob(pattern: string): string[] {
  if (!hasWildcard(pattern)) return [pattern];
  const absolute = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let found = [absolute ? '/' : ''];
  for (const [i, part] of parts.entries()) {
    if (i === 0 && absolute) continue;
    const next: string[] = [];
    for (const base of found) {
      const join = (name: string) => (base === '' ? name : base.endsWith('/') ? `${base}${name}` : `${base}/${name}`);
      if (!hasWildcard(part)) {
        next.push(join(part));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base === '' ? '.' : base);
      } catch {
        continue;
      }
      const re = globMatcher(part);
      for (const name of names.sort()) if (re.test(name) && (!name.startsWith('.') || part.startsWith('.'))) next.push(join(name));
    }
    found = next;
  }
  return found.filter((p) => existsSync(p));
}

/** Every file `target` names (see the file comment); [] when none qualifies. */
export function resolveBinaryPaths(target: string, lookup: BinaryLookup = {}): string[] {
  const otherNamespace = lookup.pid !== undefined && inOtherMountNamespace(lookup.pid);
  const candidates = [target];
  if (!target.includes('/')) {
    const pathVariable = otherNamespace ? processPathVariable(lookup.pid!) : process.env.PATH;
    for (const dir of (pathVariable ?? '').split(':').filter(Boolean)) candidates.push(`${dir}/${target}`);
  }
  const wildcard = hasWildcard(target);
  const out: string[] = [];
  for (const candidate of wildcard ? candidates.flatMap(expandPathGlob) : candidates) {
    const path = otherNamespace ? pathInProcess(lookup.pid!, candidate) : candidate;
    if (lookup.unsafe && !wildcard && existsSync(path)) out.push(path);
    else if (isBinary(path)) out.push(path);
  }
  if (out.length === 0 && !target.includes('/') && !wildcard) {
    // A library by name (`libc`, `libc.so.6`).
    const library = resolveBinary(target);
    if (library) out.push(library);
  }
  return [...new Set(out)];
}
