// bpfscript/testing: what plugin and library authors test with, and what
// bpfscript's own tests use. ScriptTester runs valid/invalid cases (compile
// without the kernel; run on it where BPF loads); compileForTest and
// runForTest are its two halves; the fixed environment (tracefs, kernel
// types) and the in-memory runtime let a test go further without a kernel.
export { ScriptTester, type Cases, type ValidCase, type InvalidCase, type ExpectedError, type Expected, type ScriptTesterOptions, type TestFunction } from './script-tester.ts';
export { compileForTest, type CompileOutcome, type TestDiagnostic, type TestEnvOptions } from './compile.ts';
export { runForTest, canRunBpf, type RunResult, type RunForTestOptions } from './run.ts';
export { FixedTracefs, fixedKernelTypes, FixedKernelDeclarations, TASK_STRUCT_ID, SCHED_ENTITY_ID, checkScript, generateScript, probeFunction, probeFunctions } from './fixed-env/index.ts';
export { MemoryRuntime, MemoryObject, MemoryMap, ProgramRun, encodeValue, type HostFunctions, type ProgramScript } from './memory-runtime/index.ts';
export { testSession, emptyManifest, type TestSessionOptions } from './session.ts';
