export { TracefsReader, parseFormat, parseFormatField, parseAvailableEvents, findTracefsRoot } from './tracefs.ts';
export { globMatcher, starMatcher, hasWildcard, type GlobMatcher } from './glob.ts';
export {
  traceableFunctions, listableFunctions, selectFunctions, selectModuleFunctions, matchFunctions, matchModuleFunctions, loadedModules,
  parseFilterFunctions, parseKprobeBlacklist, type KernelFunction, type ListableFunctions,
} from './kernel-functions.ts';
export { kernelHasKprobes } from './kprobes.ts';
export { elfFunctions, elfUsdtProbes, matchElfFunctions, namedFunction, resolveBinary, type ElfSymbol, type UsdtProbe } from './elf.ts';
export { ElfFile, ElfError, ET_EXEC, ET_DYN, type ElfSection, type ElfSymbolEntry } from './elf-file.ts';
export { kernelSymbolName, kernelSymbolAddress, kernelSymbolOffset } from './kallsyms.ts';
export * from './user-symbols/index.ts';
export { expandPathGlob, resolveBinaryPaths, type BinaryLookup } from './binaries.ts';
export { inOtherMountNamespace, mappedPaths, pathInProcess, processRoot, runningPids } from './processes.ts';
export { ptRegsOffset, PT_REGS_ARCH, ARGUMENT_REGISTERS, RETURN_REGISTER } from './pt-regs.ts';
export { ownPidNamespace, type PidNamespace } from './pid-namespace.ts';
export { cgroupIdOf, cgroupHierarchies, cgroupPathIn, cgroupPathText, matchesCgroupFilter, type CgroupHierarchy } from './cgroup.ts';
export { userName } from './passwd.ts';
export { deferredExtraCaCerts, httpsTrust } from './extra-ca-certs.ts';
