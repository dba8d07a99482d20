// C++ (Itanium) and Rust (legacy and v0) symbol names made readable, as
// bpftrace prints them (`node::PlatformWorkerThread(void*)`, `std::rt::lang_start`).
//
// The work is done by binutils' `c++filt -i`: its C++ output is byte for byte
// what libstdc++'s __cxa_demangle (bpftrace's demangler, through bcc) gives
// (checked over the 62,050 mangled names of the node binary), and it also
// reads both Rust manglings, printing them without the hash as bpftrace's
// blazesym-based symbolizer does. `llvm-cxxfilt` stands in when c++filt is
// missing; with neither, names stay mangled. One c++filt run costs a few
// milliseconds (62,050 names take 0.4 s), so names are demangled in batches,
// one run per stack at most, and each result is kept for the session.
import { execFileSync } from 'node:child_process';

/** Itanium C++ (and Rust legacy, which uses it) and Rust v0 manglings. */
export function isMangled(name: string): boolean {
  return name.startsWith('_Z') || name.startsWith('_R');
}

const tools: [string, string[]][] = [
  ['c++filt', ['-i']],
  ['llvm-cxxfilt', []],
];

export class Demangler {
  private readonly known = new Map<string, string>();
  /** The tool in use: undefined until first needed, null when none works. */
  private tool: [string, string[]] | null | undefined;

  /** Demangles the names not seen yet, in one run of the tool. */
  prepare(names: Iterable<string>): void {
    const pending = [...new Set([...names].filter((n) => isMangled(n) && !this.known.has(n)))];
    if (pending.length === 0) return;
    const out = this.run(pending);
    pending.forEach((n, i) => this.known.set(n, out?.[i] || n));
  }

  /** The readable form of `name` (the name itself when it is not mangled or cannot be demangled). */
  demangle(name: string): string {
    if (!isMangled(name)) return name;
    this.prepare([name]);
    return this.known.get(name) ?? name;
  }

  private run(names: string[]): string[] | undefined {
    const candidates = this.tool === undefined ? tools : this.tool ? [this.tool] : [];
    for (const tool of candidates) {
      try {
        const text = execFileSync(tool[0], tool[1], { input: names.join('\n') + '\n', encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 256 << 20 });
        const lines = text.split('\n');
        this.tool = tool;
        return lines.length >= names.length ? lines.slice(0, names.length) : undefined;
      } catch {
        // Not installed (or failed): try the next one.
      }
    }
    this.tool = null;
    return undefined;
  }
}
