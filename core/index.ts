// The core's door: a session's container, compiling a script, running it.
export { createContainer } from './container.ts';
export { compileScript, runCompiled, buildProgramObject, startChild, providerEnv, type CompileInput, type CompiledScript, type RunOptions, type ChildProcessHandle } from './session/index.ts';
