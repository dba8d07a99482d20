// Perf map files: `/tmp/perf-PID.map`, where JIT compilers (Node's
// `--perf-basic-prof`, the JVM's perf-map-agent, LuaJIT...) name the code they
// generate, one `START SIZE name` line (hex, no 0x) per function. JIT code
// lives in anonymous memory, so addresses that no file backs are looked up
// here. JITs keep appending: the file is read again when it has grown.
import { readFileSync, statSync } from 'node:fs';
import type { SymbolHit } from './elf-symbols.ts';

export interface PerfMapEntry {
  start: bigint;
  end: bigint;
  name: string;
}

/** Parses a perf map's text; entries sorted by address, later lines winning over earlier ones at the same address. */
export function parsePerfMap(text: string): PerfMapEntry[] {
  const byStart = new Map<bigint, PerfMapEntry>();
  for (const line of text.split('\n')) {
    const m = /^(?:0x)?([0-9a-fA-F]+) (?:0x)?([0-9a-fA-F]+) (.+)$/.exec(line);
    if (!m) continue;
    const start = BigInt(`0x${m[1]}`);
    byStart.set(start, { start, end: start + BigInt(`0x${m[2]}`), name: m[3]! });
  }
  return [...byStart.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

export function perfMapPath(pid: number): string {
  return `/tmp/perf-${pid}.map`;
}

/** The perf map of one process, read on demand. */
export class PerfMap {
  private entries: PerfMapEntry[] = [];
  private readSize = -1;

  constructor(readonly path: string) {}

  /** The entry holding `address`; re-reads the file first if it grew since the last read. */
  lookup(address: bigint): SymbolHit | undefined {
    this.refresh();
    let lo = 0;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[mid]!;
      if (address < e.start) hi = mid - 1;
      else if (address >= e.end) lo = mid + 1;
      else return { name: e.name, start: e.start };
    }
    return undefined;
  }

  private refresh(): void {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return;
    }
    if (size === this.readSize) return;
    try {
      this.entries = parsePerfMap(readFileSync(this.path, 'utf8'));
      this.readSize = size;
    } catch {
      // Unreadable now: keep what was read before.
    }
  }
}
