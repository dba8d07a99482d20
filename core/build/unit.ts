// Imported C units (`import "x.bpf.c";`): each is compiled on its own into a
// BPF object, cached by content. The key covers clang, the flags, the file's
// real path and its text; a record beside the object lists every header clang
// read (from -MD) with a hash of its content, so editing a header the unit
// includes recompiles it and nothing else does.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { BuildError, bpfTargetFlags, clangIdentity, findClang, type CompileResult } from './clang.ts';
import { cacheSubdir } from './cache.ts';
import { commitEntry, temporaryPath, trustedEntry, writeEntry } from './cache-entry.ts';
import type { LinkUnit } from '../passes/imports/index.ts';

/** An imported C unit as built: a `.bpf.c` compiled (or a cache hit), a `.bpf.o` taken as it is (always `cached`). */
export interface BuiltUnit extends CompileResult {
  unit: LinkUnit;
}

export interface UnitCompileOptions {
  /** More include folders (those of the script's imported headers). */
  includeDirs?: readonly string[];
  /** Rewrites the object before it is cached; `id` is part of the cache key (change it when the rewrite changes). */
  transform?: { id: string; apply(object: Uint8Array): Uint8Array };
}

interface DepsRecord {
  deps: [path: string, sha: string][];
}

const VMLINUX_BTF = '/sys/kernel/btf/vmlinux';

const fileHashes = new Map<string, string>();

/**
 * sha256 of a file's content, remembered per (path, size, mtime) for the
 * process. File times are only as fine as the kernel's coarse clock, so a file
 * changed in the last second is hashed again each time (git's "racy" rule).
 */
function hashFile(path: string): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  const memo = `${path}\0${st.size}\0${st.mtimeMs}`;
  let h = fileHashes.get(memo);
  if (!h) {
    h = createHash('sha256').update(readFileSync(path)).digest('hex');
    if (Date.now() - st.mtimeMs > 1000) fileHashes.set(memo, h);
  }
  return h;
}

function depsUnchanged(recordPath: string): boolean {
  let record: DepsRecord;
  try {
    record = JSON.parse(readFileSync(recordPath, 'utf8')) as DepsRecord;
  } catch {
    return false;
  }
  return record.deps.every(([path, sha]) => hashFile(path) === sha);
}

/** The files of a make-style dependency file (`out.o: a.c b.h \`), resolved from `cwd`. */
export function parseDepFile(text: string, cwd: string): string[] {
  const body = text.replace(/\\\r?\n/g, ' ');
  const colon = body.search(/:(\s|$)/);
  const list = colon < 0 ? '' : body.slice(colon + 1);
  const files: string[] = [];
  for (const m of list.matchAll(/(?:\\ |[^\s])+/g)) files.push(resolve(cwd, m[0].replace(/\\ /g, ' ')));
  return files;
}

/**
 * A folder holding `vmlinux.h` for the running kernel (bpftool's C dump of its
 * BTF), so units can `#include <vmlinux.h>`. Named by kernel release and BTF
 * size: a new kernel gets a new folder, hence new cache keys.
 */
export function vmlinuxIncludeDir(): string {
  let size = 0;
  try {
    size = statSync(VMLINUX_BTF).size;
  } catch {
    // No kernel BTF: the folder stays empty and `#include <vmlinux.h>` fails in clang.
  }
  return cacheSubdir('include', `${release()}-${size}`);
}

/** Writes vmlinux.h into its folder if it is not there yet; false when bpftool could not. */
function ensureVmlinuxHeader(dir: string): boolean {
  const header = join(dir, 'vmlinux.h');
  if (trustedEntry(header)) return true;
  if (!existsSync(VMLINUX_BTF)) return false;
  const r = spawnSync('bpftool', ['btf', 'dump', 'file', VMLINUX_BTF, 'format', 'c'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 || !r.stdout) return false;
  writeEntry(header, r.stdout);
  return true;
}

/** How clang's messages name the file: relative to the current directory when inside it. */
function displayPath(real: string): string {
  const rel = relative(process.cwd(), real);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : real;
}

/** Compiles one `.bpf.c` file into a BPF object (cached), rewritten by `opts.transform` if given. */
export function compileUnit(path: string, opts: UnitCompileOptions = {}): CompileResult {
  const clang = findClang();
  const real = realpathSync(path);
  const source = readFileSync(real);
  const vmlinuxDir = vmlinuxIncludeDir();
  const flags = [...bpfTargetFlags(), `-I${vmlinuxDir}`, ...(opts.includeDirs ?? []).map((d) => `-I${d}`)];
  const key = createHash('sha256')
    .update(clangIdentity(clang)).update('\0').update(flags.join(' ')).update('\0').update(opts.transform?.id ?? '').update('\0')
    .update(real).update('\0').update(source)
    .digest('hex').slice(0, 32);
  const dir = cacheSubdir('units');
  const objectPath = join(dir, `${key}.bpf.o`);
  const recordPath = join(dir, `${key}.deps.json`);
  if (trustedEntry(objectPath) && trustedEntry(recordPath) && depsUnchanged(recordPath)) return { objectPath, cached: true, clangMs: 0 };

  const haveVmlinux = ensureVmlinuxHeader(vmlinuxDir);
  const tmpObj = temporaryPath(objectPath);
  const depFile = temporaryPath(objectPath, 'd');
  const shown = displayPath(real);
  const started = performance.now();
  const r = spawnSync(clang, [...flags, '-MD', '-MF', depFile, '-c', shown, '-o', tmpObj], { encoding: 'utf8' });
  const clangMs = performance.now() - started;
  if (r.status !== 0) {
    rmSync(depFile, { force: true });
    rmSync(tmpObj, { force: true });
    let output = `${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
    if (!haveVmlinux && /vmlinux\.h' file not found/.test(output)) output += 'HINT: vmlinux.h is generated from /sys/kernel/btf/vmlinux with bpftool; install bpftool\n';
    throw new BuildError(`failed to compile ${shown}`, output);
  }
  const deps = parseDepFile(readFileSync(depFile, 'utf8'), process.cwd());
  rmSync(depFile, { force: true });
  const record: DepsRecord = { deps: deps.map((d) => [d, hashFile(d) ?? '']) };
  if (opts.transform) writeFileSync(tmpObj, opts.transform.apply(readFileSync(tmpObj)));
  commitEntry(tmpObj, objectPath);
  writeEntry(recordPath, JSON.stringify(record));
  return { objectPath, cached: false, clangMs };
}
