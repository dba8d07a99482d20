export { TracefsReader, parseFormat, parseFormatField, findTracefsRoot } from './tracefs.ts';
export { globToRegExp, hasWildcard } from './glob.ts';
export { traceableFunctions, matchFunctions } from './kernel-functions.ts';
export { elfFunctions, elfUsdtProbes, matchElfFunctions, resolveBinary, type ElfSymbol, type UsdtProbe } from './elf.ts';
export { ElfFile, ElfError, type ElfSection, type ElfSymbolEntry } from './elf-file.ts';
export { kernelSymbolName, kernelSymbolAddress, kernelSymbolOffset } from './kallsyms.ts';
