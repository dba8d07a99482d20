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
import { compileWithEarlyClang, discardEarlyClang, startEarlyClang } from './early-clang.ts';

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

/** A compile the cache did not answer: where its C, object and kept C go. */
interface PendingCompile {
  clang: string;
  flags: string[];
  objectPath: string;
  cPath: string;
  keptPath: string;
  tmpObj: string;
}

/** The cache's object for `source`, or the paths of a compile with the C written; a hit discards an early clang. */
function prepareCompile(source: string, extraFlags: string[]): CompileResult | PendingCompile {
  const clang = findClang();
  const flags = [...bpfTargetFlags(), ...extraFlags];
  const hash = createHash('sha256').update(clangIdentity(clang)).update('\0').update(flags.join(' ')).update('\0').update(source).digest('hex').slice(0, 32);
  const dir = cacheDir();
  const objectPath = join(dir, `${hash}.bpf.o`);
  if (trustedEntry(objectPath)) {
    void discardEarlyClang();
    return { objectPath, cached: true, clangMs: 0 };
  }
  const cPath = temporaryPath(join(dir, hash), 'c');
  try {
    writeFileSync(cPath, source, { mode: 0o600 });
  } catch (e) {
    rmSync(cPath, { force: true });
    throw cacheWriteFailure(cPath, e);
  }
  return { clang, flags, objectPath, cPath, keptPath: join(dir, `${hash}.c`), tmpObj: temporaryPath(objectPath) };
}

/** clang's run as the compile saw it: its exit status and messages (the object is at `tmpObj` by then). */
interface ClangRun {
  status: number | null;
  stderr: string;
  error?: Error;
}

/** Commits the object (and the kept C), or throws clang's refusal with the kept C named. */
function finishCompile(job: PendingCompile, r: ClangRun, clangMs: number): CompileResult {
  const { cPath, keptPath, tmpObj, objectPath } = job;
  if (r.status !== 0) {
    rmSync(tmpObj, { force: true });
    commitEntry(cPath, keptPath);
    const output = `${r.stderr}${r.error ? String(r.error) : ''}`.replaceAll(cPath, keptPath);
    throw new BuildError(`clang failed to compile the generated program (${keptPath})`, output);
  }
  if (keepSources) commitEntry(cPath, keptPath);
  else rmSync(cPath, { force: true });
  commitEntry(tmpObj, objectPath);
  return { objectPath, cached: false, clangMs };
}

function runClang(job: PendingCompile): CompileResult {
  const started = performance.now();
  const r = spawnSync(job.clang, [...job.flags, '-c', job.cPath, '-o', job.tmpObj], { encoding: 'utf8' });
  return finishCompile(job, { status: r.status, stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) }, performance.now() - started);
}

export function compileC(source: string, extraFlags: string[] = []): CompileResult {
  const job = prepareCompile(source, extraFlags);
  return 'cached' in job ? job : runClang(job);
}

/**
 * compileC, through the clang started early (early-clang.ts) when one waits
 * with the same binary and flags: clangMs is then the time from its input to
 * its exit, the part of its run the compile waited for.
 */
export async function compileCAsync(source: string, extraFlags: string[] = []): Promise<CompileResult> {
  const job = prepareCompile(source, extraFlags);
  if ('cached' in job) return job;
  const started = performance.now();
  const early = compileWithEarlyClang(job.clang, job.flags, source, job.cPath);
  if (!early) return runClang(job);
  const r = await early;
  if (r.status === 0) {
    try {
      writeFileSync(job.tmpObj, r.object, { mode: 0o600 });
    } catch (e) {
      rmSync(job.tmpObj, { force: true });
      rmSync(job.cPath, { force: true });
      throw cacheWriteFailure(job.tmpObj, e);
    }
  }
  return finishCompile(job, r, performance.now() - started);
}

/**
 * Starts clang for the generated program now, waiting for its C
 * (early-clang.ts); quietly nothing when clang cannot be found. Its process
 * id, when one was started.
 */
export function startClangEarly(): number | undefined {
  let clang: string;
  try {
    clang = findClang();
  } catch {
    return undefined;
  }
  return startEarlyClang(clang, bpfTargetFlags());
}
