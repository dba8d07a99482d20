// The config room's door: `config = { ... }` and BPFTRACE_* environment
// variables turned into the session's RuntimeConfig.
export { applyConfig, canonicalConfigKey, type ConfigOptions, type ConfigResult } from './apply.ts';
export { configVariables, renamedVariables, environmentOnly, pageSize, type ConfigVariable } from './variables.ts';
