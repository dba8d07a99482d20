// The standard library on disk: `stdlib/*.bt` files of macros, found next to
// the installed bpfscript (the source tree, or the folder above the bundle).
// A file is read only when a script names one of its macros (or imports
// it), as bpftrace does, and then only the macros named are parsed
// (macro-chunks.ts); which file defines which macro comes from a quick scan
// of the texts, no parse.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanMacroNames } from './macro-chunks.ts';

export interface StdlibFile {
  /** How diagnostics name it: `stdlib/math.bt`. */
  name: string;
  path: string;
  text: string;
}

/** The `stdlib` folder of this installation: beside the package.json above this module (or above the bundle). */
// import.meta.dirname: no URL to parse at every start (Node before 20.11 has only import.meta.url).
export function stdlibRoot(from: string = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'stdlib');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`bpfscript's standard library folder was not found above ${from}`);
  }
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
    return this.definitionsOf(names).map((d) => d.file);
  }

  /** The files defining any of `names`, in file order, each with those of `names` it defines. */
  definitionsOf(names: Iterable<string>): { file: string; macros: string[] }[] {
    if (!this.byMacro) {
      this.byMacro = new Map();
      for (const file of this.files()) {
        for (const name of scanMacroNames(this.read(file).text)) this.byMacro.set(name, [...(this.byMacro.get(name) ?? []), file]);
      }
    }
    const found = new Map<string, Set<string>>();
    for (const n of names) {
      for (const f of this.byMacro.get(n) ?? []) found.set(f, (found.get(f) ?? new Set()).add(n));
    }
    return this.files().flatMap((file) => (found.has(file) ? [{ file, macros: [...found.get(file)!] }] : []));
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
