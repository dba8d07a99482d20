export { TracefsReader, parseFormat, parseFormatField, findTracefsRoot } from './tracefs.ts';
export { globMatcher, starMatcher, hasWildcard, type GlobMatcher } from './glob.ts';
export { traceableFunctions, matchFunctions } from './kernel-functions.ts';
export { elfFunctions, elfUsdtProbes, matchElfFunctions, resolveBinary, type ElfSymbol, type UsdtProbe } from './elf.ts';
export { ElfFile, ElfError, ET_EXEC, ET_DYN, type ElfSection, type ElfSymbolEntry } from './elf-file.ts';
export { kernelSymbolName, kernelSymbolAddress, kernelSymbolOffset } from './kallsyms.ts';
export { syscallName } from './syscalls.ts';
export * from './user-symbols/index.ts';
