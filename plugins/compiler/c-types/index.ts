// c-types: the C a script carries. Its preprocessor lines (`#include`,
// `#define`, `#ifdef BPFTRACE_HAVE_BTF`) and C definitions (`struct`, `union`,
// `enum`, `typedef`) are compiled by clang into BTF (extract.ts), which
// becomes value types in front of the kernel's (script-types.ts); `#define`
// constants and enumerators become builtins that fold to their values
// (constants.ts), and kernel enumerators are found by name on demand. The
// plugin does this on the session's `scope` hook (plugin.ts).
export { cTypesPlugin, C_TYPES_STAGE } from './plugin.ts';
export { scriptCTypes, cItems, type ScriptCTypes, type ScriptCTypesOptions } from './script-c-types.ts';
export { extractCTypes, cSource, parseClangDiagnostics, type CSourceItem, type Extracted, type ExtractOptions } from './extract.ts';
export { scanPreprocessed, typedefNames, type ScanResult, type MacroDefinition, type AnonymousEnum } from './scan.ts';
export { evaluateConstant, ConstExprError, type ConstValue, type ConstResolver } from './const-expr.ts';
export { elfSection } from './elf-btf.ts';
export { ScriptTypes, type EnumConstant } from './script-types.ts';
