// bpfscript's main door (`import { ... } from 'bpfscript'`), for programs
// that embed it: a session's container with the built-in plugins, a script
// compiled and run, the command line itself. Plugin authors import from
// 'bpfscript/sdk', test authors from 'bpfscript/testing'.
export { createBpfscript, builtinPlugins } from './cli/plugins.ts';
export { main, version } from './cli/index.ts';
export { createContainer, compileScript, runCompiled, type CompileInput, type CompiledScript, type RunOptions } from './core/index.ts';
export { sdkVersion } from './sdk/index.ts';
