// What a package adds to bpfscript: its providers (with their aliases), its
// builtins and macros (with their `:variant` doc lines), its C units. Found
// by importing the package into a session as a script would, so the engines,
// permission and plugin checks are the import's. `bpfscript -l package:NAME`
// prints it; bpfscript/testing checks it against the doc rule the standard
// library follows (every builtin and macro documented by a `:variant` naming
// it, and a description).
import { relative } from 'node:path';
import type { Container } from 'inversify';
import { Services } from '../../sdk/index.ts';
import { parse } from '../syntax/index.ts';
import { prepareProgram } from '../passes/imports/index.ts';
import { originOf } from '../plugin-host/index.ts';
import { loadPackagePlugins } from './packages.ts';
import { parseBuiltinDoc, parseStdlibDocs } from '../../stdlib/index.ts';
import { readFileSync } from 'node:fs';

export interface PackageEntry {
  kind: 'provider' | 'builtin' | 'macro' | 'c';
  name: string;
  aliases?: readonly string[];
  /** Signatures from the `:variant` lines. */
  variants: string[];
  description: string;
}

export interface PackageContents {
  name: string;
  version?: string;
  dir: string;
  entries: PackageEntry[];
}

export interface PackageContentsOptions {
  /** Where the package is looked up from (node_modules upwards). */
  cwd: string;
  /** Packages found by name first (name -> folder). */
  packages?: ReadonlyMap<string, string>;
  /** Receives the text of the `import` that finds the package (its diagnostics' source). */
  sources?: Map<string, string>;
}

export async function packageContents(container: Container, name: string, opts: PackageContentsOptions): Promise<PackageContents> {
  const text = `import "${name}";`;
  opts.sources?.set('stdin', text);
  const prepared = prepareProgram(parse(text, 'stdin'), { file: 'stdin', config: container.get(Services.Config), cwd: opts.cwd, packages: opts.packages, sources: opts.sources });
  await loadPackagePlugins(container, prepared.plugins);
  const manifest = prepared.packages[0]!;
  const ours = (x: object) => originOf(x)?.package === manifest.name;
  const entries: PackageEntry[] = [];
  for (const p of container.getAll(Services.ProbeProvider).filter(ours)) entries.push({ kind: 'provider', name: p.name, aliases: p.aliases, variants: [], description: '' });
  for (const b of container.getAll(Services.Builtin).filter(ours)) {
    const doc = b.doc === undefined ? undefined : parseBuiltinDoc(b.name, b.doc);
    entries.push({ kind: 'builtin', name: b.name, variants: doc?.variants ?? [], description: doc?.description ?? '' });
  }
  for (const file of manifest.stdlib) {
    const docs = parseStdlibDocs(readFileSync(file, 'utf8'));
    for (const { def } of prepared.packageMacros.filter((m) => m.package === manifest.name && m.def.span.file.endsWith(relative(manifest.dir, file)))) {
      if (entries.some((e) => e.kind === 'macro' && e.name === def.name)) continue;
      const doc = docs.find((d) => d.name === def.name);
      entries.push({ kind: 'macro', name: def.name, variants: doc?.variants ?? [], description: doc?.description ?? '' });
    }
  }
  for (const file of manifest.c) entries.push({ kind: 'c', name: relative(manifest.dir, file), variants: [], description: '' });
  return { name: manifest.name, ...(manifest.version ? { version: manifest.version } : {}), dir: manifest.dir, entries };
}

/** The standard library's doc rule, for a package's builtins and macros: what breaks it. */
export function docProblems(contents: PackageContents): string[] {
  const problems: string[] = [];
  for (const e of contents.entries) {
    if (e.kind !== 'builtin' && e.kind !== 'macro') continue;
    if (!e.variants.some((v) => new RegExp(`\\b${e.name}\\b`).test(v))) problems.push(`${e.kind} ${e.name} has no :variant naming it`);
    if (e.description === '') problems.push(`${e.kind} ${e.name} has no description`);
  }
  return problems;
}

/** `-l package:NAME`: one line per entry, `-v` adds the descriptions, indented (docProblems go to stderr). */
export function formatPackageContents(contents: PackageContents, verbose: boolean): string[] {
  const lines = [`package ${contents.name}${contents.version ? ` ${contents.version}` : ''}: ${contents.dir}`];
  for (const e of contents.entries) {
    const aliases = e.aliases?.length ? ` (${e.aliases.join(', ')})` : '';
    const head = e.kind === 'c' ? `C unit ${e.name}` : `${e.kind} ${e.name}${aliases}`;
    lines.push(e.variants.length ? `${head}: ${e.variants.join('; ')}` : head);
    if (verbose && e.description) for (const l of e.description.split('\n')) lines.push(`    ${l}`.trimEnd());
  }
  return lines;
}
