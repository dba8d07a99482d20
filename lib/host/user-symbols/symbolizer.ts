// Names user-space addresses as bpftrace does (ustack frames, usym()): the
// process's /proc/PID/maps says which file backs an address and where it was
// loaded (ASLR, shared libraries), that file's ELF symbols name it, and the
// process's perf map names JIT code in anonymous memory.
//
// `cache_user_symbols` decides what is kept, as in bpftrace:
//   PER_PID      the address space of each process, read when it is first
//                needed (the default without -c on a machine with ASLR);
//   PER_PROGRAM  one address space per executable, read from its first
//                process, and before that a direct look-up of the address in
//                the executable's own symbols, which works for fixed-address
//                (non-PIE) programs even after the process has exited (the
//                default with -c or without ASLR);
//   NONE         the maps read again for every stack or symbol.
// A process that has exited before its address space was read has no maps:
// its addresses print as hex, as bpftrace's do.
import { readlinkSync } from 'node:fs';
import type { CacheUserSymbols } from '../../../sdk/index.ts';
import { Demangler } from './demangle.ts';
import { elfSymbols } from './elf-symbols.ts';
import { PerfMap, perfMapPath } from './perf-map.ts';
import { isFileMapping, mappingAt, processExecutable, readProcMaps, type ProcMapping } from './proc-maps.ts';

export interface UserSymbol {
  name: string;
  /** Bytes from the symbol's start. */
  offset: bigint;
  /** The file (or perf map) the symbol comes from: perf mode prints it. */
  module: string;
}

export interface UserSymbolizerOptions {
  cache: CacheUserSymbols;
  /** `cpp_demangle`: C++ and Rust names demangled. */
  demangle: boolean;
  /** The executable to assume when a process is gone (the probe's binary, when the program has only one). */
  fallbackExecutable?: string;
}

/** What is known of one process's memory. */
interface AddressSpace {
  pid: number;
  maps?: ProcMapping[];
  perfMap: PerfMap;
  /** Prefix for the process's files when it lives in another mount namespace (`/proc/PID/root`). */
  root: string;
}

function mountNamespace(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/mnt`);
  } catch {
    return undefined;
  }
}

export class UserSymbolizer {
  private readonly spaces = new Map<string, AddressSpace>();
  private readonly demangler = new Demangler();

  constructor(private readonly opts: UserSymbolizerOptions) {}

  /** The symbols of addresses of process `pid`; undefined where none is known. */
  resolve(pid: number, addresses: readonly bigint[]): (UserSymbol | undefined)[] {
    const exe = processExecutable(pid) ?? this.opts.fallbackExecutable;
    let space: AddressSpace | undefined;
    const found = addresses.map((address) => {
      if (this.opts.cache === 'PER_PROGRAM' && exe) {
        const direct = elfSymbols(exe)?.lookup(address);
        if (direct) return { name: direct.name, offset: address - direct.start, module: exe };
      }
      space ??= this.addressSpace(pid, exe);
      return this.inSpace(space, address);
    });
    if (!this.opts.demangle) return found;
    this.demangler.prepare(found.flatMap((f) => (f ? [f.name] : [])));
    return found.map((f) => f && { ...f, name: this.demangler.demangle(f.name) });
  }

  private addressSpace(pid: number, exe: string | undefined): AddressSpace {
    const key = this.opts.cache === 'PER_PID' ? `pid:${pid}` : this.opts.cache === 'PER_PROGRAM' && exe ? `exe:${exe}` : undefined;
    const cached = key ? this.spaces.get(key) : undefined;
    if (cached) return cached;
    const ns = mountNamespace(pid);
    const space: AddressSpace = {
      pid,
      maps: readProcMaps(pid),
      perfMap: new PerfMap(perfMapPath(pid)),
      root: ns && ns !== mountNamespace('self') ? `/proc/${pid}/root` : '',
    };
    if (key) this.spaces.set(key, space);
    return space;
  }

  private inSpace(space: AddressSpace, address: bigint): UserSymbol | undefined {
    if (!space.maps) return undefined;
    let m = mappingAt(space.maps, address);
    if (!m) {
      // Mapped since the maps were read (dlopen): read them again while the process lives.
      const fresh = readProcMaps(space.pid);
      if (fresh) space.maps = fresh;
      m = mappingAt(space.maps, address);
    }
    if (m && isFileMapping(m)) {
      const symbols = elfSymbols(space.root + m.path.replace(/ \(deleted\)$/, ''));
      const vaddr = symbols?.addressOfFileOffset(address - m.start + m.offset);
      const hit = vaddr === undefined ? undefined : symbols!.lookup(vaddr);
      return hit && { name: hit.name, offset: vaddr! - hit.start, module: m.path };
    }
    const jit = space.perfMap.lookup(address);
    return jit && { name: jit.name, offset: address - jit.start, module: space.perfMap.path };
  }
}
