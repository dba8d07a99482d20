// The imports pass: `import "x.bt";`, `import "dir";`, `import "stdlib/...";`
// and `import "<npm package>";`, resolved from the importing file's folder.
// Imported .bt files are parsed under their own name (so their errors print
// their path) and merged into one program, each file once, dependencies
// first (their begin probes run first); C units and plugin entries are
// collected for the build and the session.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type * as A from '../../syntax/ast.ts';
import { parse } from '../../syntax/index.ts';
import { CompileError, errorAt, type Diagnostic, type Span } from '../../diagnostics/index.ts';
import { trustedOwners, untrustedPath } from './trust.ts';
import { textOfMacros, type StandardLibrary } from '../../../stdlib/index.ts';
import type { StatementImport } from '../macros/index.ts';
import { libraryMacrosFromTable } from './library-asts.ts';
import { checkEngine, findPackageDir, PackageError, readPackageManifest, splitPackageName, type PackageManifest } from './package.ts';
import { sdkVersion } from '../../../sdk/index.ts';

export type LinkUnitKind = 'source' | 'header' | 'object';

/** A `.bpf.c` source, `.h` header or `.bpf.o` object to compile and link with the script. */
export interface LinkUnit {
  kind: LinkUnitKind;
  /** Absolute path. */
  path: string;
  /** How diagnostics name it. */
  name: string;
  /** The import that brought it in (absent for the standard library's own loads). */
  span?: Span;
  /** The npm package that declared it. */
  package?: string;
}

/** A package's `bpfscript.plugin` module, to be loaded into the session's container. */
export interface PluginEntry {
  package: string;
  path: string;
  span: Span;
}

export interface ImportOptions {
  /** The root script's name as diagnostics print it: `stdin` or its path. */
  file: string;
  cwd: string;
  stdlib: StandardLibrary;
  /** Receives the text of every file read, by name, even when a later error stops the compile. */
  sources?: Map<string, string>;
  /**
   * Packages found by name before Node's resolution is asked (name -> folder):
   * a package's own tests import it by its name (bpfscript/testing).
   */
  packages?: ReadonlyMap<string, string>;
}

type Layer = 'user' | 'library';

interface PathOptions {
  layer: Layer;
  /** A folder imports the supported files directly inside it. */
  directories: boolean;
  /** Files of other kinds are skipped (inside an imported folder). */
  ignoreUnknown: boolean;
  /** Inside the installed standard library: no permission check. */
  trusted: boolean;
  /** `import` statements inside macros may only name C units. */
  statement?: boolean;
  package?: string;
}

const statementImportError = 'Import statements that are not at the root are limited to specific object (.o), header (.h), or C source (.c or bpf.c) files';

function kindOf(path: string): 'script' | LinkUnitKind | undefined {
  if (path.endsWith('.bt')) return 'script';
  if (path.endsWith('.bpf.c')) return 'source';
  if (path.endsWith('.h')) return 'header';
  if (path.endsWith('.bpf.o')) return 'object';
  return undefined;
}

/** A narrower span for a multi-line item: its first word. */
function head(item: A.TopLevel, word: string): Span {
  const s = item.span;
  return s.line === s.endLine ? s : { file: s.file, line: s.line, col: s.col, endLine: s.line, endCol: s.col + word.length };
}

/** strerror-like text from a Node file-system error. */
function reason(e: unknown): string {
  const m = /^[A-Z]+: ([^,]+)/.exec((e as Error).message);
  return m ? m[1]! : String((e as Error).message);
}

/** A parse that fails is answered by the whole file's parse (which reports the error, if it is one). */
function parsedOrUndefined(text: string, file: string): A.Program | undefined {
  try {
    return parse(text, file);
  } catch (e) {
    if (e instanceof CompileError) return undefined;
    throw e;
  }
}

/** The parse of `macros`' definitions cut out of a library file's text; undefined when the cut fails. */
function parsedPart(text: string, macros: ReadonlySet<string>, file: string): A.Program | undefined {
  const part = textOfMacros(text, macros);
  return part === undefined ? undefined : parsedOrUndefined(part, file);
}

export class Importer {
  readonly sources: Map<string, string>;
  readonly units: LinkUnit[] = [];
  readonly plugins: PluginEntry[] = [];
  readonly packages: PackageManifest[] = [];
  /** The macros the imported packages' .bt files define (checked against the built-in names). */
  readonly packageMacros: { def: A.MacroDef; package: string }[] = [];
  /** Standard-library files loaded, explicitly or because the script uses their macros. */
  readonly library: A.Program[] = [];
  private readonly user: A.Program[] = [];
  /** Macros loaded from standard-library files read in parts, by file name. */
  private readonly libraryMacros = new Map<string, Set<string>>();
  private readonly seen = new Set<string>();
  /** Folder of every file read, by its name in spans (statement imports resolve against it). */
  private readonly dirs = new Map<string, string>();
  private readonly rootDir: string;
  private readonly owners = trustedOwners();

  constructor(private readonly opts: ImportOptions) {
    this.sources = opts.sources ?? new Map();
    this.rootDir = opts.file === 'stdin' ? opts.cwd : dirname(resolve(opts.cwd, opts.file));
    this.dirs.set(opts.file, this.rootDir);
    // A file that imports the root script back must not bring it in twice.
    const rootPath = resolve(opts.cwd, opts.file);
    if (opts.file !== 'stdin' && existsSync(rootPath)) this.seen.add(realpathSync(rootPath));
  }

  /** Resolves the root script's imports; returns the merged program (no imports, no config block). */
  run(root: A.Program): A.Program {
    this.importProgram(root, this.rootDir, 'user', true);
    const items = this.user.flatMap((p) => p.items);
    return { kind: 'Program', span: root.span, items };
  }

  hasLibraryFile(name: string): boolean {
    const path = this.opts.stdlib.pathOf(name);
    return path !== undefined && this.seen.has(realpathSync(path));
  }

  /**
   * Loads the definitions of `macros` from a standard-library file because
   * the script names them (every overload of each); the file's other macros
   * stay unparsed until something names them. Returns whether any was new.
   */
  loadLibraryMacros(name: string, macros: readonly string[]): boolean {
    const path = this.opts.stdlib.pathOf(name);
    if (!path) throw new Error(`not a standard library file: ${name}`);
    if (this.hasLibraryFile(name)) return false;
    const loaded = this.libraryMacros.get(name) ?? new Set<string>();
    this.libraryMacros.set(name, loaded);
    const wanted = new Set(macros.filter((m) => !loaded.has(m)));
    if (wanted.size === 0) return false;
    let text = this.sources.get(name);
    if (text === undefined) {
      text = readFileSync(path, 'utf8');
      this.sources.set(name, text);
      this.dirs.set(name, dirname(path));
    }
    const program = libraryMacrosFromTable(name, text, wanted) ?? parsedPart(text, wanted, name);
    if (program && program.items.every((i) => i.kind === 'MacroDef' && wanted.has(i.name))) {
      for (const m of wanted) loaded.add(m);
      this.importProgram(program, dirname(path), 'library', false);
      return true;
    }
    // A cut the scan got wrong (a `macro` line inside a comment, a definition it did not see): the rest of the file, once.
    const whole = parse(text, name);
    this.seen.add(realpathSync(path));
    const rest = whole.items.filter((i) => !(i.kind === 'MacroDef' && loaded.has(i.name)));
    this.importProgram({ ...whole, items: rest }, dirname(path), 'library', false);
    return true;
  }

  /** An `import` statement inside a macro the script used: a C unit to link. */
  statementImport(s: StatementImport): void {
    if (s.path.endsWith('.bt')) throw errorAt(s.span, statementImportError);
    const dir = this.dirs.get(s.span.file) ?? this.rootDir;
    this.importSpec(s.path, dir, s.span, this.opts.stdlib.contains(dir) ? 'library' : 'user', true);
  }

  private importProgram(program: A.Program, dir: string, layer: Layer, root: boolean): void {
    const kept: A.TopLevel[] = [];
    for (const item of program.items) {
      if (item.kind === 'Import') this.importSpec(item.path, dir, item.span, layer, false);
      else if (item.kind === 'ConfigBlock') {
        if (!root) throw errorAt(head(item, 'config'), 'invalid `config` within import');
      } else if (layer === 'library' && item.kind !== 'MacroDef') {
        throw errorAt(item.span, 'The standard library may only define macros');
      } else kept.push(item);
    }
    (layer === 'library' ? this.library : this.user).push({ kind: 'Program', span: program.span, items: kept });
  }

  private importSpec(spec: string, dir: string, span: Span, layer: Layer, statement: boolean): void {
    const checked: string[] = [];
    const pathLike = isAbsolute(spec) || /^\.\.?(\/|$)/.test(spec);
    const local = resolve(dir, spec);
    checked.push(local);
    const base = { layer, directories: true, ignoreUnknown: false, trusted: false, statement };
    if (existsSync(local)) return this.importPath(local, span, base);
    if (!pathLike) {
      const lib = this.opts.stdlib.pathOf(spec);
      if (lib) return this.importPath(lib, span, { ...base, layer: 'library', trusted: true });
      const pkg = splitPackageName(spec);
      const pkgDir = pkg && (this.opts.packages?.get(pkg.name) ?? findPackageDir(pkg.name, dir));
      if (pkg && pkgDir) return this.importPackage(pkg.name, pkg.subpath, pkgDir, span, statement);
      if (pkg) checked.push(`package ${pkg.name} (node_modules folders from ${dir} up)`);
    }
    throw new CompileError([
      { severity: 'ERROR', message: 'Unable to find suitable path for import', span },
      { severity: 'HINT', message: `checked: ${checked.join(', ')}` },
    ]);
  }

  private importPackage(name: string, subpath: string, dir: string, span: Span, statement: boolean): void {
    const base = { layer: 'user' as const, directories: true, ignoreUnknown: false, trusted: false, statement, package: name };
    if (subpath) {
      const path = join(dir, subpath);
      if (!existsSync(path)) {
        throw new CompileError([
          { severity: 'ERROR', message: 'Unable to find suitable path for import', span },
          { severity: 'HINT', message: `checked: ${path}` },
        ]);
      }
      return this.importPath(path, span, base);
    }
    if (statement) throw errorAt(span, statementImportError);
    const real = realpathSync(dir);
    if (this.seen.has(real)) return;
    this.seen.add(real);
    this.checkPermissions(dir, span);
    let manifest: PackageManifest;
    try {
      manifest = readPackageManifest(dir);
      checkEngine(manifest, sdkVersion);
    } catch (e) {
      if (e instanceof PackageError) throw errorAt(span, `cannot import package "${name}": ${e.message}`);
      throw e;
    }
    this.packages.push(manifest);
    for (const path of [...manifest.stdlib, ...manifest.c]) this.importPath(path, span, { ...base, directories: false });
    // The plugin module is imported (and run) later, from this very path.
    if (manifest.plugin) this.checkPermissions(manifest.plugin, span);
    if (manifest.plugin) this.plugins.push({ package: manifest.name, path: manifest.plugin, span });
  }

  private importPath(path: string, span: Span | undefined, o: PathOptions): void {
    if (!o.trusted) this.checkPermissions(path, span);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch (e) {
      throw errorAt(span, `error reading import "${path}": ${reason(e)}`);
    }
    if (isDir) {
      if (o.statement) throw errorAt(span, statementImportError);
      if (!o.directories) return;
      for (const entry of readdirSync(path).sort()) this.importPath(join(path, entry), span, { ...o, directories: false, ignoreUnknown: true });
      return;
    }
    const kind = kindOf(path);
    if (!kind || (o.statement && kind === 'script')) {
      if (o.ignoreUnknown) return;
      throw errorAt(span, kind ? statementImportError : `unknown import type: "${basename(path)}"`);
    }
    const real = realpathSync(path);
    if (this.seen.has(real)) return;
    this.seen.add(real);
    const name = this.displayName(path);
    if (kind !== 'script') {
      const unit: LinkUnit = { kind, path: real, name };
      if (span) unit.span = span;
      if (o.package) unit.package = o.package;
      this.units.push(unit);
      return;
    }
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw errorAt(span, `error reading import "${path}": ${reason(e)}`);
    }
    this.sources.set(name, text);
    this.dirs.set(name, dirname(path));
    const program = parse(text, name);
    if (o.package) for (const def of program.items) if (def.kind === 'MacroDef') this.packageMacros.push({ def, package: o.package });
    this.importProgram(program, dirname(path), o.layer, false);
  }

  /**
   * Refuses anything another local user could have written or could swap
   * (trust.ts's rule: the real path and every folder up to `/` owned by
   * root or the invoking user, writable by nobody else, sticky folders aside).
   * Upstream's message when a world-writable folder is the reason.
   */
  private checkPermissions(path: string, span: Span | undefined): void {
    const problem = untrustedPath(path, this.owners);
    if (!problem) return;
    const self = problem.path === realpathSync(path);
    const what = self ? (problem.isDirectory ? 'it' : 'the file') : problem.path;
    if (problem.kind === 'world-writable') {
      const error: Diagnostic = { severity: 'ERROR', message: `cowardly refusing to import from a directory with global write permissions: "${path}"`, span };
      throw new CompileError(self ? [error] : [error, { severity: 'HINT', message: `${problem.path} is writable by every user` }]);
    }
    const reason = problem.kind === 'owner' ? `${what} is owned by uid ${problem.uid}, not by root or you` : `${what} is writable by its group`;
    throw errorAt(span, `cowardly refusing to import "${path}": ${reason}`);
  }

  private displayName(path: string): string {
    if (this.opts.stdlib.contains(path)) return this.opts.stdlib.nameOf(path);
    const rel = relative(this.opts.cwd, path);
    return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  }
}
