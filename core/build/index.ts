export { compileC, findClang, cacheDir, BuildError, type CompileResult } from './clang.ts';
