// npm packages as bpfscript libraries: found with Node's own module
// resolution from the importing file's folder, described by a `bpfscript`
// field in their package.json:
//
//   "bpfscript": {
//     "stdlib": ["net.bt", "lib/tcp.bt"],   // .bt files merged into the script
//     "c": ["net.bpf.c", "net.h"],          // C units compiled and linked with it
//     "plugin": "./plugin.js"               // a module whose default export is a BpfscriptPlugin
//   },
//   "engines": { "bpfscript": "^0.1.0" }    // the bpfscript (SDK) versions it works with
//
// Every path is relative to the package's folder and must stay inside it.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { satisfies } from './version-range.ts';

/** What a package declares, with absolute paths. */
export interface PackageManifest {
  name: string;
  version?: string;
  dir: string;
  stdlib: string[];
  c: string[];
  plugin?: string;
  /** `engines.bpfscript`: the range of bpfscript (SDK) versions the package works with. */
  engine?: string;
}

/** `@scope/name/sub/path` -> package `@scope/name`, subpath `sub/path`; undefined when it cannot be a package name. */
export function splitPackageName(spec: string): { name: string; subpath: string } | undefined {
  const m = /^((?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*)(?:\/(.+))?$/i.exec(spec);
  // `x.bt` is a file that is not there, not a package called "x.bt".
  if (!m || spec.startsWith('.') || /\.(bt|h|c|o)$/.test(m[1]!)) return undefined;
  return { name: m[1]!, subpath: m[2] ?? '' };
}

/** The folder of package `name` as seen from `fromDir`, by Node's resolution (node_modules upwards). */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  const req = createRequire(join(fromDir, '__bpfscript_import__.js'));
  try {
    return dirname(req.resolve(`${name}/package.json`));
  } catch (e) {
    // A package whose "exports" hides package.json is still found on the lookup paths.
    if ((e as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    for (const dir of req.resolve.paths(name) ?? []) {
      if (existsSync(join(dir, name, 'package.json'))) return join(dir, name);
    }
    return undefined;
  }
}

export class PackageError extends Error {}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new PackageError(`"bpfscript.${what}" must be an array of paths`);
  return value as string[];
}

function inside(dir: string, path: string, what: string): string {
  const abs = resolve(dir, path);
  const rel = relative(dir, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new PackageError(`"bpfscript.${what}" path ${path} is outside the package`);
  if (!existsSync(abs)) throw new PackageError(`"bpfscript.${what}" names ${path}, which does not exist`);
  return abs;
}

/** A package made for other versions of bpfscript is refused before any of it runs, naming both. */
export function checkEngine(manifest: PackageManifest, version: string): void {
  if (manifest.engine === undefined) return;
  const ok = satisfies(version, manifest.engine);
  if (ok === undefined) throw new PackageError(`its "engines.bpfscript" range "${manifest.engine}" cannot be read`);
  if (!ok) throw new PackageError(`it works with bpfscript ${manifest.engine} ("engines.bpfscript" in its package.json), and this is bpfscript ${version}`);
}

/** Reads and checks a package's bpfscript declaration; throws PackageError with the reason. */
export function readPackageManifest(dir: string): PackageManifest {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new PackageError(`cannot read its package.json: ${(e as Error).message}`);
  }
  const name = typeof json.name === 'string' ? json.name : dir;
  const field = json.bpfscript;
  if (field === undefined) throw new PackageError('it is not a bpfscript package: its package.json has no "bpfscript" field');
  if (typeof field !== 'object' || field === null || Array.isArray(field)) throw new PackageError('"bpfscript" must be an object');
  const f = field as Record<string, unknown>;
  for (const key of Object.keys(f)) {
    if (!['stdlib', 'c', 'plugin'].includes(key)) throw new PackageError(`unknown key "bpfscript.${key}" (expected stdlib, c, plugin)`);
  }
  const stdlib = stringList(f.stdlib, 'stdlib').map((p) => inside(dir, p, 'stdlib'));
  for (const p of stdlib) if (!p.endsWith('.bt')) throw new PackageError(`"bpfscript.stdlib" lists ${relative(dir, p)}, which is not a .bt file`);
  const c = stringList(f.c, 'c').map((p) => inside(dir, p, 'c'));
  for (const p of c) if (!/\.(bpf\.c|h|bpf\.o)$/.test(p)) throw new PackageError(`"bpfscript.c" lists ${relative(dir, p)}, which is not a .bpf.c, .h or .bpf.o file`);
  if (f.plugin !== undefined && typeof f.plugin !== 'string') throw new PackageError('"bpfscript.plugin" must be a path');
  const manifest: PackageManifest = { name, dir, stdlib, c };
  if (typeof json.version === 'string') manifest.version = json.version;
  const engines = json.engines as Record<string, unknown> | undefined;
  if (engines?.bpfscript !== undefined) {
    if (typeof engines.bpfscript !== 'string') throw new PackageError('"engines.bpfscript" must be a version range');
    manifest.engine = engines.bpfscript;
  }
  if (typeof f.plugin === 'string') manifest.plugin = inside(dir, f.plugin, 'plugin');
  return manifest;
}
