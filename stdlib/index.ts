// The standard library's door: where the .bt files are, which file defines
// which macro, the reference docs written in them, and the reference of every
// function (these docs with the builtins' own) as docs/stdlib.md shows it.
export { StandardLibrary, stdlibRoot, type StdlibFile } from './loader.ts';
export { macroChunks, scanMacroNames, textOfMacros, type MacroChunk } from './macro-chunks.ts';
export { parseStdlibDocs, parseDocText, parseBuiltinDoc, type StdlibDoc } from './docs.ts';
export { buildReference, referenceEntry, type DocumentedBuiltin, type Reference, type ReferenceEntry, type ReferenceSection } from './reference.ts';
export { referenceMarkdown, referenceEntryText } from './reference-markdown.ts';
