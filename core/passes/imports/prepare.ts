// Everything between parsing and probe expansion, in order: imports merged
// into one program, the root's config block (and BPFTRACE_* variables)
// applied, the standard-library files the program names loaded, macros
// expanded, and the C units that used macros import collected.
import type * as A from '../../syntax/ast.ts';
import type { Diagnostic } from '../../diagnostics/index.ts';
import type { RuntimeConfig } from '../../../sdk/index.ts';
import { StandardLibrary } from '../../../stdlib/index.ts';
import { applyConfig } from '../config/index.ts';
import { expandMacros, referencedNames, type MacroRegistry } from '../macros/index.ts';
import { Importer, type LinkUnit, type PluginEntry } from './importer.ts';
import type { PackageManifest } from './package.ts';

export interface PrepareOptions {
  /** The root script's name in diagnostics: `stdin` or its path. */
  file: string;
  /** Settings before the script's config block: defaults and command line. */
  config: RuntimeConfig;
  /** BPFTRACE_* variables are read from here (pass process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  hasChildProcess?: boolean;
  /** Receives the text of every imported and standard-library file read. */
  sources?: Map<string, string>;
  stdlib?: StandardLibrary;
  /** Where relative paths of `-e` scripts start (default: the process's). */
  cwd?: string;
  /** Packages found by name before Node's resolution (name -> folder). */
  packages?: ReadonlyMap<string, string>;
}

export interface PreparedProgram {
  /** One program: imports merged, no config block, no macros left. */
  program: A.Program;
  config: RuntimeConfig;
  warnings: Diagnostic[];
  /** C units to compile and link (`.bpf.c`, `.h`, `.bpf.o`), from imports and from used macros. */
  units: LinkUnit[];
  /** Plugin modules of imported packages, to load into the session's container. */
  plugins: PluginEntry[];
  packages: PackageManifest[];
  /** The macros the imported packages define, by package. */
  packageMacros: { def: A.MacroDef; package: string }[];
  /** Texts of the imported and standard-library files, by the name their spans use. */
  sources: Map<string, string>;
  macros: MacroRegistry;
}

export function prepareProgram(parsed: A.Program, opts: PrepareOptions): PreparedProgram {
  const stdlib = opts.stdlib ?? new StandardLibrary();
  const importer = new Importer({ file: opts.file, cwd: opts.cwd ?? process.cwd(), stdlib, sources: opts.sources, packages: opts.packages });
  const merged = importer.run(parsed);
  const block = parsed.items.find((i): i is A.ConfigBlock => i.kind === 'ConfigBlock');
  const { config, warnings } = applyConfig(block, opts.config, { env: opts.env, hasChildProcess: opts.hasChildProcess });

  // Standard-library macros load lazily: those the program names, then those
  // their bodies name, until nothing new is named.
  let names = referencedNames([...merged.items, ...importer.library.flatMap((p) => p.items)]);
  for (;;) {
    const before = importer.library.length;
    let loaded = false;
    for (const { file, macros } of stdlib.definitionsOf(names)) loaded = importer.loadLibraryMacros(file, macros) || loaded;
    if (!loaded) break;
    names = referencedNames(importer.library.slice(before).flatMap((p) => p.items));
  }

  const library = importer.library.flatMap((p) => p.items.filter((i): i is A.MacroDef => i.kind === 'MacroDef'));
  const expanded = expandMacros(merged, { library });
  for (const s of expanded.statementImports) importer.statementImport(s);
  return {
    program: expanded.program,
    config,
    warnings,
    units: importer.units,
    plugins: importer.plugins,
    packages: importer.packages,
    packageMacros: importer.packageMacros,
    sources: importer.sources,
    macros: expanded.registry,
  };
}
