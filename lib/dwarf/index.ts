// dwarf: user-space debug information. A DWARF reader (versions 2 to 5: units,
// DIEs, line tables, compressed sections) that finds a binary's separate
// debug file as libdw does, converts the types and functions of the units it
// needs to BTF (so lib/btf's reader and value-type converter serve a binary's
// types as they serve the kernel's), and answers what uprobes ask: a
// function's parameters, a type by name, the address of a source line.
// docs/debuginfo.md says why a reader of our own rather than pahole.
export { binaryDebugInfo, type BinaryDebugInfo } from './open.ts';
export { DwarfBinary, DebugInfoError, pathEndsWith, type FunctionBtf } from './binary.ts';
export { BinaryTypes, dwarfTypeName, type FunctionParams } from './binary-types.ts';
export { BinaryTypesLayer } from './types-layer.ts';
export { findDebugFile, buildId, debugLink, DEFAULT_DEBUGINFO_PATH, type DebugFileQuery } from '../host/debug-file.ts';
export { DwarfInfo } from './info.ts';
export { DwarfSections } from './sections.ts';
export { DwarfError } from './cursor.ts';
export { readLineTable, type LineTable, type LineRow } from './lines.ts';
export { unitToBtf, type UnitBtf } from './to-btf.ts';
