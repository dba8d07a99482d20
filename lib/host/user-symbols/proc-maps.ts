// A process's memory mappings from /proc/PID/maps: which file (and which
// offset in it) backs each user address, so an address in a PIE binary or a
// shared library, wherever ASLR put it, can be turned back into the file's
// own addresses.
import { readFileSync, readlinkSync } from 'node:fs';

export interface ProcMapping {
  start: bigint;
  end: bigint;
  /** File offset of `start`. */
  offset: bigint;
  inode: number;
  /** The file (`/usr/lib/x86_64-linux-gnu/libc.so.6`), a pseudo name (`[heap]`, `[vdso]`), or '' for anonymous memory. */
  path: string;
}

/** Parses the text of a maps file. */
export function parseProcMaps(text: string): ProcMapping[] {
  const out: ProcMapping[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ ([0-9a-f]+) \S+ (\d+)\s*(.*)$/.exec(line);
    if (!m) continue;
    out.push({ start: BigInt(`0x${m[1]}`), end: BigInt(`0x${m[2]}`), offset: BigInt(`0x${m[3]}`), inode: Number(m[4]), path: m[5]! });
  }
  return out;
}

/**
 * The mappings of a live process, or undefined when it has exited: a process
 * that is gone, or a zombie not reaped yet, has no (or an empty) maps file.
 */
export function readProcMaps(pid: number): ProcMapping[] | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/maps`, 'utf8');
  } catch {
    return undefined;
  }
  const maps = parseProcMaps(text);
  return maps.length > 0 ? maps : undefined;
}

/** The mapping holding `address`, if any (the list is sorted, as the kernel writes it). */
export function mappingAt(maps: readonly ProcMapping[], address: bigint): ProcMapping | undefined {
  let lo = 0;
  let hi = maps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = maps[mid]!;
    if (address < m.start) hi = mid - 1;
    else if (address >= m.end) lo = mid + 1;
    else return m;
  }
  return undefined;
}

/** Whether a mapping is backed by a file (not anonymous memory, the heap, the stack or the vDSO). */
export function isFileMapping(m: ProcMapping): boolean {
  return m.inode !== 0 && m.path.startsWith('/');
}

/** The path of the process's executable, or undefined when it is gone. */
export function processExecutable(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}
