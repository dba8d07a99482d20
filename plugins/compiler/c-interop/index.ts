// c-interop: C next to scripts. Imported `.bpf.c` units are compiled (cached by
// content) and `.bpf.o` objects taken as they are; each non-static function
// they define becomes a builtin `__name(args)` typed from its BTF prototype;
// the objects are linked with the generated program by libbpf's static linker
// (core/build). The plugin does this on the session's `scope` hook.
export { cInteropPlugin, C_INTEROP_STAGE } from './plugin.ts';
export { buildUnits, exportedFunctions, type BuiltUnit, type CFunction } from './units.ts';
export { cFunctionBuiltin } from './builtin.ts';
export { describeFunction, type CFunctionShape, type CParam, type CResult } from './signature.ts';
export { BpfElf, ElfError, isExportedFunction, type ElfSection, type ElfSymbol } from './elf.ts';
