export { UserSymbolizer, type UserSymbol, type UserSymbolizerOptions } from './symbolizer.ts';
export { elfSymbols, ElfSymbols, type SymbolHit } from './elf-symbols.ts';
export { parsePerfMap, PerfMap, perfMapPath, type PerfMapEntry } from './perf-map.ts';
export { parseProcMaps, readProcMaps, mappingAt, type ProcMapping } from './proc-maps.ts';
export { Demangler, isMangled } from './demangle.ts';
