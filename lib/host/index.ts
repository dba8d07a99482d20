export { TracefsReader, parseFormat, parseFormatField, findTracefsRoot } from './tracefs.ts';
export { globMatcher, starMatcher, hasWildcard, type GlobMatcher } from './glob.ts';
export { traceableFunctions, matchFunctions, matchModuleFunctions, loadedModules, type KernelFunction } from './kernel-functions.ts';
export { elfFunctions, elfUsdtProbes, matchElfFunctions, resolveBinary, type ElfSymbol, type UsdtProbe } from './elf.ts';
export { ElfFile, ElfError, ET_EXEC, ET_DYN, type ElfSection, type ElfSymbolEntry } from './elf-file.ts';
export { kernelSymbolName, kernelSymbolAddress, kernelSymbolOffset } from './kallsyms.ts';
export * from './user-symbols/index.ts';
export { expandPathGlob, resolveBinaryPaths, type BinaryLookup } from './binaries.ts';
export { inOtherMountNamespace, mappedPaths, pathInProcess, processRoot, runningPids } from './processes.ts';
