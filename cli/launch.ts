// The process entry that bin/bpfscript runs (bundled alone into dist/launch.cjs):
// it compiles the bundled CLI (dist/bpfscript.cjs) with V8's code cache, so a
// run after the first skips parsing and compiling the megabyte of JavaScript
// (the part of start-up Node spends before bpfscript's own code runs; Node 20
// has no module compile cache of its own). The cache is an entry of the
// compile cache (`v8/<hash>.bin`; the same folder, trust rules and size
// bound), keyed by the bundle's content, Node's version and the architecture:
// V8 itself checks only the source's length. It is written at exit, holding
// every function the run compiled, when there was none or V8 rejected it.
// Where the compile cache cannot be used, the CLI runs without a code cache
// (and reports the cache problem itself when it needs the cache). A run
// without its code cache starts clang early (compilesProgram below).
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { cacheSubdir } from '../core/build/cache.ts';
import { trustedEntry, writeEntry } from '../core/build/cache-entry.ts';
import { startClangEarly } from '../core/build/clang.ts';

/** The code cache entry for this bundle under this Node, or undefined when the compile cache cannot be used. */
function codeCacheEntry(source: Buffer): string | undefined {
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0`).update(source).digest('hex').slice(0, 32);
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

/** Options after which bpfscript compiles no program: help, version, --info, listing. */
const NOTHING_TO_COMPILE = new Set(['-h', '--help', '-V', '--version', '--info', '-l', '--list']);

/**
 * Whether these arguments most likely compile a program: a run without its
 * code cache (the first after a build, or with a fresh cache) then starts
 * clang before the bundle is even compiled, so that clang's start-up runs
 * beside all of bpfscript's (core/build/early-clang.ts); a run that does not
 * compile after all kills it.
 */
function compilesProgram(args: readonly string[]): boolean {
  return args.length > 0 && args[0] !== 'merge' && !args.some((a) => NOTHING_TO_COMPILE.has(a));
}

/** Runs the CommonJS bundle at `bundle` as Node would require it, compiled with the code cache where there is one. */
function launch(bundle: string): void {
  // Hashed as bytes, and an ASCII bundle (esbuild escapes the rest) made a
  // one-byte string without UTF-8 decoding: both cost more on the string.
  const bytes = readFileSync(bundle);
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const entry = process.env.BPFSCRIPT_NO_CODE_CACHE ? undefined : codeCacheEntry(bytes);
  const cachedData = readEntry(entry);
  if (entry && !cachedData && compilesProgram(process.argv.slice(2))) startClangEarly();
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __bpfsImport) {${source}\n})`, { filename: bundle, cachedData });
  if (entry && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => {
      try {
        writeEntry(entry, script.createCachedData());
      } catch {
        // A cache that cannot be written costs the next run its compile time, nothing else.
      }
    });
  }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  // import() in code compiled through vm has no loader: the bundle imports through this module's (core/session/dynamic-import.ts).
  const importModule = (url: string): Promise<unknown> => import(url);
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle), importModule);
}

launch(join(__dirname, 'bpfscript.cjs'));
