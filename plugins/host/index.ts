export { TracefsReader, parseFormat, parseFormatField, findTracefsRoot } from './tracefs.ts';
export { globToRegExp, hasWildcard } from './glob.ts';
export { traceableFunctions, matchFunctions } from './kernel-functions.ts';
export { elfFunctions, matchElfFunctions, resolveBinary, type ElfSymbol } from './elf.ts';
