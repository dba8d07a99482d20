export { compileScript, providerEnv, type CompileInput, type CompiledScript } from './compile.ts';
export { runCompiled, buildProgramObject, type RunOptions } from './run.ts';
export { startChild, commandProblem, type ChildProcessHandle } from './child.ts';
export { compileGenerated, compileGeneratedAsync } from './build-limits.ts';
export { packageContents, docProblems, formatPackageContents, type PackageContents, type PackageEntry } from './package-contents.ts';
