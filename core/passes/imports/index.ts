// The imports room's door: imports resolved and merged, and the whole front
// end (imports, config, standard library, macros) run in order.
export { prepareProgram, type PrepareOptions, type PreparedProgram } from './prepare.ts';
export { Importer, type ImportOptions, type LinkUnit, type LinkUnitKind, type PluginEntry } from './importer.ts';
export { findPackageDir, readPackageManifest, splitPackageName, type PackageManifest } from './package.ts';
