export { compileC, findClang, cacheDir, bpfTargetFlags, clangIdentity, BuildError, type CompileResult } from './clang.ts';
export { compileUnit, vmlinuxIncludeDir, parseDepFile, type UnitCompileOptions, type BuiltUnit } from './unit.ts';
export { linkObjects, type LinkInput, type LinkResult } from './link.ts';
