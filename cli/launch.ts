// The process entry that bin/bpfscript runs (bundled alone into dist/launch.cjs):
// it compiles the bundled CLI (dist/bpfscript.cjs) with V8's code cache, so a
// run skips parsing and compiling the megabyte of JavaScript (the part of
// start-up Node spends before bpfscript's own code runs; Node 20 has no module
// compile cache of its own). Two caches, both keyed by the bundle's content,
// Node's version and the architecture (V8 itself checks only the source's
// length):
// - the user's, an entry of the compile cache (`v8/<key>.bin`; the same folder,
//   trust rules and size bound), written at exit with every function the run
//   compiled, and used first;
// - the build's (dist/bpfscript.cjs.v8, launch-cache.ts), made by `npm run
//   build` from a typical run, used where the user has none: a fresh cache
//   folder starts warm, and the first run writes no user entry (the second
//   does, holding what its script compiled beyond the build's run).
// A cache V8 rejects (made by another V8 or under other flags) costs the run
// its compile, and the user's entry is written anew; where the compile cache
// cannot be used, the CLI runs with the build's cache or none (and reports the
// cache problem itself when it needs the cache).
// The first run on a cache folder (fresh, or the first after a build) starts
// clang early (compilesProgram below). NODE_EXTRA_CA_CERTS, which bin/bpfscript
// kept from Node's start, goes back into the environment first
// (lib/host/extra-ca-certs.ts).
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { cacheSubdir } from '../core/build/cache.ts';
import { trustedEntry, writeEntry } from '../core/build/cache-entry.ts';
import { buildCodeCache, buildCodeCacheFile } from './launch-cache.ts';
import { startClangEarly } from '../core/build/clang.ts';
import { restoreExtraCaCerts } from '../lib/host/extra-ca-certs.ts';

/** The user's code cache entry for this bundle's key, or undefined when the compile cache cannot be used. */
function userEntry(key: string): string | undefined {
  try {
    return join(cacheSubdir('v8'), `${key}.bin`);
  } catch {
    return undefined;
  }
}

function readEntry(entry: string | undefined): Buffer | undefined {
  if (!entry || !trustedEntry(entry)) return undefined;
  try {
    return readFileSync(entry);
  } catch {
    return undefined;
  }
}

/** The note that a run used the build's code cache under `entry`'s key. */
const usedNote = (entry: string): string => `${entry}.used`;

/**
 * Whether a run before this one used the build's cache under `entry`'s key; the
 * first notes that it did (`<entry>.used`, empty). The first run then writes
 * nothing (serialising and writing the cache is ~25-30 ms of a cold start), and
 * the second writes the user's entry: the build's functions, which it
 * deserialised, and those its script compiled beyond them.
 */
function usedBefore(entry: string): boolean {
  const note = usedNote(entry);
  if (existsSync(note)) return true;
  try {
    writeFileSync(note, '', { mode: 0o600 });
  } catch {
    // Then the next run notes it again.
  }
  return false;
}

/** Compiles the bundle's source as Node would wrap a CommonJS module. */
function compile(bundle: string, source: string, cachedData: Buffer | undefined): vm.Script {
  return new vm.Script(`(function (exports, require, module, __filename, __dirname, __bpfsImport) {${source}\n})`, { filename: bundle, cachedData });
}

/** Runs `write` at exit; a cache that cannot be written costs a later run its compile time, nothing else. */
function writeAtExit(write: () => void): void {
  process.once('exit', () => {
    try {
      write();
    } catch {
      // Nothing to report: the run itself succeeded or failed on its own.
    }
  });
}

/** Options after which bpfscript compiles no program: help, version, --info, listing. */
const NOTHING_TO_COMPILE = new Set(['-h', '--help', '-V', '--version', '--info', '-l', '--list']);

/**
 * Whether these arguments most likely compile a program: the first run on a
 * cache folder (fresh, or the first after a build) then starts
 * clang before the bundle is even compiled, so that clang's start-up runs
 * beside all of bpfscript's (core/build/early-clang.ts); a run that does not
 * compile after all kills it.
 */
function compilesProgram(args: readonly string[]): boolean {
  return args.length > 0 && args[0] !== 'merge' && !args.some((a) => NOTHING_TO_COMPILE.has(a));
}

/** Runs the CommonJS bundle at `bundle` as Node would require it, compiled with a code cache where there is one. */
function launch(bundle: string): void {
  // Hashed as bytes, and an ASCII bundle (esbuild escapes the rest) made a
  // one-byte string without UTF-8 decoding: both cost more on the string.
  const bytes = readFileSync(bundle);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(bytes).digest('hex').slice(0, 32);
  const buildOutput = process.env.BPFSCRIPT_BUILD_CODE_CACHE;
  let script: vm.Script;
  if (buildOutput) {
    // npm run build: compile from nothing, and keep what this run compiled.
    script = compile(bundle, source, undefined);
    writeAtExit(() => writeFileSync(buildOutput, buildCodeCacheFile(key, script.createCachedData())));
  } else if (process.env.BPFSCRIPT_NO_CODE_CACHE) {
    script = compile(bundle, source, undefined);
  } else {
    const entry = userEntry(key);
    const own = readEntry(entry);
    // Only the first run of this bundle on this cache folder (no entry, no note of the build's cache used):
    // the second, which writes the user's entry, most likely runs a script already compiled.
    if (entry && !own && !existsSync(usedNote(entry)) && compilesProgram(process.argv.slice(2))) startClangEarly();
    const build = own ? undefined : buildCodeCache(bundle, key);
    script = compile(bundle, source, own ?? build);
    const accepted = (own ?? build) !== undefined && !script.cachedDataRejected;
    if (entry && (!accepted || (build && usedBefore(entry)))) writeAtExit(() => writeEntry(entry, script.createCachedData()));
  }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  // import() in code compiled through vm has no loader: the bundle imports through this module's (core/session/dynamic-import.ts).
  const importModule = (url: string): Promise<unknown> => import(url);
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle), importModule);
}

restoreExtraCaCerts();
launch(join(__dirname, 'bpfscript.cjs'));
