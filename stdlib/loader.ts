// The standard library on disk: `stdlib/*.bt` files of macros, found next to
// the installed bpfscript (the source tree, or the folder above the bundle).
// A file is read and parsed only when a script names one of its macros (or
// imports it), as bpftrace does; which file defines which macro comes from a
// quick scan of the texts, no parse.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StdlibFile {
  /** How diagnostics name it: `stdlib/math.bt`. */
  name: string;
  path: string;
  text: string;
}

/** The `stdlib` folder of this installation: beside the package.json above this module (or above the bundle). */
export function stdlibRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'stdlib');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`bpfscript's standard library folder was not found above ${from}`);
  }
}

const macroName = /^[ \t]*macro[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(/gm;

/** Names of the macros a .bt text defines. */
export function scanMacroNames(text: string): string[] {
  return [...text.matchAll(macroName)].map((m) => m[1]!);
}

export class StandardLibrary {
  private byMacro?: Map<string, string[]>;

  constructor(readonly root: string = stdlibRoot()) {}

  /** Display names of the top-level .bt files, sorted. */
  files(): string[] {
    return readdirSync(this.root).filter((f) => f.endsWith('.bt')).sort().map((f) => `stdlib/${f}`);
  }

  /** The files defining any of `names`, in file order. */
  filesDefining(names: Iterable<string>): string[] {
    if (!this.byMacro) {
      this.byMacro = new Map();
      for (const file of this.files()) {
        for (const name of scanMacroNames(this.read(file).text)) this.byMacro.set(name, [...(this.byMacro.get(name) ?? []), file]);
      }
    }
    const found = new Set<string>();
    for (const n of names) for (const f of this.byMacro.get(n) ?? []) found.add(f);
    return this.files().filter((f) => found.has(f));
  }

  read(name: string): StdlibFile {
    const path = this.pathOf(name);
    if (!path) throw new Error(`not a standard library path: ${name}`);
    return { name, path, text: readFileSync(path, 'utf8') };
  }

  /** The file or folder `import "stdlib/..."` names, if it exists. */
  pathOf(importName: string): string | undefined {
    if (importName !== 'stdlib' && !importName.startsWith('stdlib/')) return undefined;
    const path = join(this.root, importName.slice('stdlib'.length));
    return this.contains(path) && existsSync(path) ? path : undefined;
  }

  /** The display name of a path inside the library. */
  nameOf(path: string): string {
    const rel = relative(this.root, path);
    return rel ? `stdlib/${rel.split(sep).join('/')}` : 'stdlib';
  }

  contains(path: string): boolean {
    const rel = relative(this.root, path);
    return !rel.startsWith('..') && !isAbsolute(rel);
  }
}
