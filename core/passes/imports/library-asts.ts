// The standard library's macros parsed at build time. Parsing a used macro
// was most of a one-probe script's compile (`comm` and its overload: 5-15 ms
// of the nearley parser's cold code per run), so the build writes, for each
// `stdlib/*.bt` file, every macro's parse (all overloads of a name: what
// `textOfMacros(text, {name})` parses) into `dist/stdlib-asts/<file>.json`,
// and the CLI bundle uses an entry only when it is certainly the parse the
// bundle would make: the table's hash is the one the bundle was built with
// (scripts/bundle.mjs generates the table with the very sources it bundles,
// then defines `__BPFS_STDLIB_ASTS`), and the file's text has the hash the
// table was made from. Anything else (a source run, an edited library file,
// a name the table lacks) parses as before. A set of macros is the union of
// their parses in file order: each macro parses alone as in the whole file
// (tests/core/passes/stdlib.test.ts), and the program's span is the file's.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as A from '../../syntax/ast.ts';
import type { Span } from '../../diagnostics/index.ts';
import { isPlainTree, parse, treeFromJson, treeToJson } from '../../syntax/index.ts';
import { CompileError } from '../../diagnostics/index.ts';
import { scanMacroNames, textOfMacros } from '../../../stdlib/index.ts';

/** Set by scripts/bundle.mjs in the CLI bundle: each table's sha256 by library file name (JSON). */
declare const __BPFS_STDLIB_ASTS: string | undefined;

/** One library file's macros, parsed. */
export interface LibraryAstTable {
  /** sha256 of the file's text. */
  text: string;
  /** The program span every part of the file parses with. */
  span: Span;
  /** Each macro name's definitions (every overload, in file order); null where the cut does not parse alone (or its tree would not survive JSON). */
  macros: Record<string, A.TopLevel[] | null>;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

export function encodeTable(table: LibraryAstTable): string {
  return treeToJson(table);
}

export function decodeTable(json: string): LibraryAstTable {
  return treeFromJson<LibraryAstTable>(json);
}

/** Every macro of a library file parsed alone; undefined when the file cannot be cut into macros. */
export function buildTable(text: string, file: string): LibraryAstTable | undefined {
  const macros: Record<string, A.TopLevel[] | null> = {};
  let span: Span | undefined;
  for (const name of new Set(scanMacroNames(text))) {
    const part = textOfMacros(text, new Set([name]));
    if (part === undefined) return undefined;
    try {
      const program = parse(part, file);
      span = program.span;
      macros[name] = isPlainTree(program.items) ? program.items : null;
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      macros[name] = null;
    }
  }
  return span && { text: sha256(text), span, macros };
}

/** The program `parse(textOfMacros(text, names))` gives, from the table; undefined when a name has no entry. */
export function programFromTable(table: LibraryAstTable, names: ReadonlySet<string>): A.Program | undefined {
  const items: A.TopLevel[] = [];
  for (const name of names) {
    const defs = Object.hasOwn(table.macros, name) ? table.macros[name] : undefined;
    if (!defs) return undefined;
    items.push(...defs);
  }
  items.sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
  return { kind: 'Program', span: table.span, items };
}

/** A table's file name in the build's output folder. */
export function tableFileName(file: string): string {
  return `${file.replace(/^stdlib\//, '').replace(/\//g, '_')}.json`;
}

/** Where tables are, and the sha256 each must have (by library file name). */
export interface TableSource {
  dir: string;
  hashes: Readonly<Record<string, string>>;
}

/** The CLI bundle's tables (beside it); undefined outside the bundle. */
function bundledTables(): TableSource | undefined {
  if (typeof __BPFS_STDLIB_ASTS !== 'string') return undefined;
  // import.meta.dirname (the bundle's __dirname): node:url's first URL costs ~2 ms.
  const here = import.meta.dirname ?? dirname(fileURLToPath(import.meta.url));
  return { dir: join(here, 'stdlib-asts'), hashes: JSON.parse(__BPFS_STDLIB_ASTS) as Record<string, string> };
}

const tables = new Map<string, LibraryAstTable | undefined>();

/** File `file`'s table when it has the expected hash and was made from `text`. */
function tableOf(source: TableSource, file: string, text: string): LibraryAstTable | undefined {
  const hash = Object.hasOwn(source.hashes, file) ? source.hashes[file] : undefined;
  const key = `${source.dir}\0${file}\0${hash}\0${text}`;
  if (tables.has(key)) return tables.get(key);
  let table: LibraryAstTable | undefined;
  if (hash) {
    try {
      const bytes = readFileSync(join(source.dir, tableFileName(file)));
      if (sha256(bytes) === hash) table = decodeTable(bytes.toString('utf8'));
    } catch {
      table = undefined; // no table: parse
    }
  }
  if (table && table.text !== sha256(text)) table = undefined;
  tables.set(key, table);
  return table;
}

/**
 * The parse of `macros` of library file `file` (its text: `text`) from the
 * tables (the CLI bundle's by default), a copy that passes may change; or
 * undefined, to parse.
 */
export function libraryMacrosFromTable(file: string, text: string, macros: ReadonlySet<string>, source: TableSource | undefined = bundledTables()): A.Program | undefined {
  const table = source && tableOf(source, file, text);
  const program = table && programFromTable(table, macros);
  return program && structuredClone(program);
}
