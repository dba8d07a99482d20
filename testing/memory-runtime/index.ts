// The in-memory runtime of session tests (see runtime.ts).
export { MemoryRuntime, type HostFunctions, type ProgramScript } from './runtime.ts';
export { MemoryObject } from './object.ts';
export { MemoryMap } from './map.ts';
export { ProgramRun, encodeValue } from './program-run.ts';
