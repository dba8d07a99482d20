// The reference of every function a script can call without importing
// anything: the standard library's macros and `:function` blocks (stdlib/*.bt)
// and the builtins' own `doc` strings, one entry per name, grouped the way
// bpftrace's stdlib.md groups them. `npm run docs` writes it to
// docs/stdlib.md; `--help NAME` prints one entry.
import { parseDocText, parseStdlibDocs, type StdlibDoc } from './docs.ts';
import type { StandardLibrary } from './loader.ts';
import { scanMacroNames } from './macro-chunks.ts';

/** Where an entry goes: functions, map value functions (aggregations), or intrinsics for library authors (`__builtin_*`). */
export type ReferenceSection = 'helpers' | 'map-values' | 'intrinsics';

export interface ReferenceEntry {
  name: string;
  section: ReferenceSection;
  variants: string[];
  description: string;
  /** The .bt file documenting it (`stdlib/math.bt`), or `builtin` for a builtin's own doc. */
  source: string;
  /** Whether the name is a macro of the standard library (else a builtin or a language form). */
  macro: boolean;
}

/** What the reference needs of a builtin (sdk/builtin.ts's Builtin has it). */
export interface DocumentedBuiltin {
  readonly name: string;
  readonly doc?: string;
  readonly aggregate?: unknown;
}

export interface Reference {
  /** Sorted by section, then name. */
  entries: ReferenceEntry[];
  /** What keeps the reference from being whole: undocumented names, names documented twice. */
  problems: string[];
}

const sectionOrder: ReferenceSection[] = ['helpers', 'map-values', 'intrinsics'];

function sectionOf(name: string, builtin: DocumentedBuiltin | undefined): ReferenceSection {
  if (name.startsWith('__')) return 'intrinsics';
  return builtin?.aggregate ? 'map-values' : 'helpers';
}

/** Builds the reference from the library's files and the builtins the built-in plugins bind. */
export function buildReference(stdlib: StandardLibrary, builtins: Iterable<DocumentedBuiltin>): Reference {
  const byName = new Map<string, DocumentedBuiltin>();
  for (const b of builtins) byName.set(b.name, b);
  const problems: string[] = [];
  const found = new Map<string, { doc: StdlibDoc; source: string }[]>();
  const add = (doc: StdlibDoc, source: string) => found.set(doc.name, [...(found.get(doc.name) ?? []), { doc, source }]);
  const macros = new Set<string>();

  for (const file of stdlib.files()) {
    const { text } = stdlib.read(file);
    const docs = parseStdlibDocs(text);
    for (const doc of docs) add(doc, file);
    for (const macro of scanMacroNames(text)) {
      macros.add(macro);
      if (!docs.some((d) => d.name === macro)) problems.push(`${file}: macro ${macro} has no doc comment`);
    }
  }
  for (const b of byName.values()) {
    const doc = b.doc === undefined ? undefined : parseDocText(b.name, b.doc);
    if (doc) add(doc, 'builtin');
    else if (!found.has(b.name)) problems.push(`builtin ${b.name} has no doc`);
  }

  const entries: ReferenceEntry[] = [];
  for (const [name, docs] of found) {
    const sources = [...new Set(docs.map((d) => d.source))];
    // One file may document a name in several blocks (one per overload); two places may not.
    if (sources.length > 1) problems.push(`${name} is documented in ${sources.join(' and ')}: keep one`);
    if (macros.has(name) && byName.has(name)) problems.push(`${name} is both a builtin and a standard-library macro (the macro hides the builtin)`);
    const variants = docs.flatMap((d) => d.doc.variants);
    if (!variants.some((v) => v.includes(`${name}(`))) problems.push(`${name} (${sources.join(', ')}) has no :variant naming it`);
    const description = docs.map((d) => d.doc.description).filter(Boolean).join('\n\n');
    if (!description) problems.push(`${name} (${sources.join(', ')}) has no description`);
    entries.push({ name, section: sectionOf(name, byName.get(name)), variants, description, source: sources[0]!, macro: macros.has(name) });
  }
  entries.sort((a, b) => sectionOrder.indexOf(a.section) - sectionOrder.indexOf(b.section) || compareNames(a.name, b.name));
  return { entries, problems: problems.sort() };
}

/** Names in a stable order that does not depend on the locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The entry of `name`, if the reference has one. */
export function referenceEntry(reference: Reference, name: string): ReferenceEntry | undefined {
  return reference.entries.find((e) => e.name === name);
}
