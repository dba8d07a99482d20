// Plugins as the core sees them once loaded: where each builtin and provider
// came from, calls into third-party code made safe to report, and the
// built-in names a package replaces.
export { loadPlugin, replacements, type PluginContributions, type Replacement } from './load.ts';
export { originOf, describeOrigin, type PluginOrigin } from './origins.ts';
export { guarded } from './guard.ts';
export { hooksFor } from './hook-taps.ts';
export { guardedAttach, openHandler, openRenderer, placedAt } from './run-time.ts';
