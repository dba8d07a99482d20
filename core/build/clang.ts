// Build stage: C -> BPF object with clang, cached by content hash so a repeated
// run (same C, same clang) never runs clang. The generated C is written for
// clang and removed after; it stays beside its object as `<hash>.c` when
// clang fails (the message names it) or when asked (-v, -d).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch as osArch } from 'node:os';
import { join } from 'node:path';
import { cacheDir, cacheWriteFailure } from './cache.ts';
import { commitEntry, temporaryPath, trustedEntry } from './cache-entry.ts';

export class BuildError extends Error {
  constructor(message: string, readonly output: string) {
    super(message);
    this.name = 'BuildError';
  }
}

const clangCandidates = ['clang-19', 'clang-20', 'clang-18', 'clang'];
let clangPath: string | undefined;

export function findClang(): string {
  if (clangPath) return clangPath;
  const fromEnv = process.env.BPFSCRIPT_CLANG;
  if (fromEnv) {
    try {
      if (!statSync(fromEnv).isFile()) throw new Error('not a file');
      accessSync(fromEnv, constants.X_OK);
    } catch {
      throw new BuildError(`BPFSCRIPT_CLANG=${fromEnv} is not an executable file: set BPFSCRIPT_CLANG to a clang binary, or unset it to use the clang on PATH`, '');
    }
    return (clangPath = fromEnv);
  }
  // Searched by hand: spawning a shell for `command -v` cost ~30 ms of start-up.
  const dirs = (process.env.PATH ?? '/usr/bin:/bin').split(':').filter(Boolean);
  for (const c of clangCandidates) {
    for (const d of dirs) {
      const p = join(d, c);
      if (existsSync(p)) return (clangPath = p);
    }
  }
  throw new BuildError('clang not found: install clang-19 (apt-get install -y clang-19) or set BPFSCRIPT_CLANG', '');
}

function multiarchInclude(): string {
  const a = osArch() === 'arm64' ? 'aarch64' : osArch() === 'x64' ? 'x86_64' : osArch();
  return `/usr/include/${a}-linux-gnu`;
}

function targetArchDefine(): string {
  return osArch() === 'arm64' ? '__TARGET_ARCH_arm64' : '__TARGET_ARCH_x86';
}

export interface CompileResult {
  objectPath: string;
  cached: boolean;
  /** Milliseconds spent in clang (0 on a cache hit). */
  clangMs: number;
}

/**
 * Identifies the clang build for the cache key without running it: the
 * resolved binary's path, size and mtime change whenever clang is upgraded.
 */
export function clangIdentity(clang: string): string {
  const real = realpathSync(clang);
  const st = statSync(real);
  return `${real}:${st.size}:${st.mtimeMs}`;
}

/**
 * Brackets the generated C may nest: a script nests at most 64 levels
 * (core/syntax/nesting.ts) and some constructs take four C brackets a level,
 * past clang's default of 256 (clang itself copes with about 600).
 */
const BRACKET_DEPTH = 512;

/** The flags every BPF compile shares: the generated program and imported C units alike. */
export function bpfTargetFlags(): string[] {
  return [
    '-O2', '-g', '-target', 'bpf', `-D${targetArchDefine()}`, `-I${multiarchInclude()}`, '-Wno-unused-value', '-Wno-unused-variable',
    `-fbracket-depth=${BRACKET_DEPTH}`,
  ];
}

let keepSources = false;

/** Keeps the generated C of successful compiles too (`<cache>/<hash>.c`): set by -v and -d. */
export function keepGeneratedSources(keep: boolean): void {
  keepSources = keep;
}

export function compileC(source: string, extraFlags: string[] = []): CompileResult {
  const clang = findClang();
  const flags = [...bpfTargetFlags(), ...extraFlags];
  const hash = createHash('sha256').update(clangIdentity(clang)).update('\0').update(flags.join(' ')).update('\0').update(source).digest('hex').slice(0, 32);
  const dir = cacheDir();
  const objectPath = join(dir, `${hash}.bpf.o`);
  if (trustedEntry(objectPath)) return { objectPath, cached: true, clangMs: 0 };
  const cPath = temporaryPath(join(dir, hash), 'c');
  try {
    writeFileSync(cPath, source, { mode: 0o600 });
  } catch (e) {
    rmSync(cPath, { force: true });
    throw cacheWriteFailure(cPath, e);
  }
  const keptPath = join(dir, `${hash}.c`);
  const tmpObj = temporaryPath(objectPath);
  const started = performance.now();
  const r = spawnSync(clang, [...flags, '-c', cPath, '-o', tmpObj], { encoding: 'utf8' });
  const clangMs = performance.now() - started;
  if (r.status !== 0) {
    rmSync(tmpObj, { force: true });
    commitEntry(cPath, keptPath);
    const output = `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.replaceAll(cPath, keptPath);
    throw new BuildError(`clang failed to compile the generated program (${keptPath})`, output);
  }
  if (keepSources) commitEntry(cPath, keptPath);
  else rmSync(cPath, { force: true });
  commitEntry(tmpObj, objectPath);
  return { objectPath, cached: false, clangMs };
}
