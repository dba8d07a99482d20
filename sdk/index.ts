// The public SDK: everything a plugin or library author needs. Built-in
// providers, builtins and formatters import only from here.
export * from './services.ts';
export * from './config.ts';
export * from './tracefs.ts';
export * from './kernel-types.ts';
export * from './provider.ts';
export * from './builtin.ts';
export * from './output.ts';
export * from './hooks.ts';
export * from './runtime.ts';
export * from './actions.ts';
export * from './plugin.ts';
export * from './version.ts';
export * from './timings.ts';
export { CompileError, errorAt, type Span, type Diagnostic } from '../core/diagnostics/index.ts';
export type * from '../core/manifest/types.ts';
export * as types from '../core/types/index.ts';
