export { compileC, compileCAsync, startClangEarly, findClang, bpfTargetFlags, clangIdentity, keepGeneratedSources, BuildError, type CompileResult } from './clang.ts';
export { discardEarlyClang } from './early-clang.ts';
export { cacheDir, cacheSubdir, cacheLocation, cacheSizeLimit, defaultCacheSize, CacheError, type CacheLocation } from './cache.ts';
export { trustedEntry, writeEntry, commitEntry, temporaryPath } from './cache-entry.ts';
export { pruneCache } from './cache-prune.ts';
export { compileUnit, vmlinuxIncludeDir, parseDepFile, type UnitCompileOptions, type BuiltUnit } from './unit.ts';
export { linkObjects, type LinkInput, type LinkResult } from './link.ts';
